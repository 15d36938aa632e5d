// Worker module for test/pool/failures.thread.test.ts: never finishes loading (for startTimeout).
const keepAlive = setInterval(() => {}, 1000);
await new Promise(() => {});
clearInterval(keepAlive);
export {};
