/**
 * `shared-ndarray/worker`: what a worker module imports to declare its functions. It also registers
 * Manager proxies with the transport, so a proxy in a task's arguments arrives live in any worker.
 */
import './manager/kind.js';
export { defineWorker, isWorkerDefinition, WORKER_DEFINITION } from './worker-module/define.js';
export type { WorkerDefinition, WorkerFunction } from './worker-module/define.js';
export { progress } from './worker-module/progress.js';
