/** `shared-ndarray/process`: Python's multiprocessing.Process on a worker thread. */
export { Process, TERMINATED_EXIT_CODE } from './process.js';
export type { ProcessOptions } from './process.js';
