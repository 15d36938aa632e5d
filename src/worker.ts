/**
 * `shared-ndarray/worker`: what a worker module imports to declare its functions. It names the
 * shared kinds to the transport without loading them (deferred-kinds.ts), so a Lock or a Manager
 * proxy in a task's arguments arrives live in any worker, and costs nothing in one sent none.
 */
import './deferred-kinds.js';
export { defineWorker, isWorkerDefinition, WORKER_DEFINITION } from './worker-module/define.js';
export type { WorkerDefinition, WorkerFunction } from './worker-module/define.js';
export { progress } from './worker-module/progress.js';
