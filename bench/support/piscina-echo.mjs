// The pool suite's piscina worker: the same trivial function as echo.worker.mjs.
export default (x) => x;
