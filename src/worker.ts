/** `shared-ndarray/worker`: what a worker module imports to declare its functions. */
export { defineWorker, isWorkerDefinition, WORKER_DEFINITION } from './worker-module/define.js';
export type { WorkerDefinition, WorkerFunction } from './worker-module/define.js';
export { progress } from './worker-module/progress.js';
