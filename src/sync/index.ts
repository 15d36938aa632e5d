/** `shared-ndarray/sync`: Python's multiprocessing locks, events, barriers and queues over Atomics. */
import '../register-kinds.js';
export { Lock } from './lock.js';
export { RLock } from './rlock.js';
export { Semaphore, BoundedSemaphore } from './semaphore.js';
export { Condition } from './condition.js';
export { Event } from './event.js';
export { Barrier } from './barrier.js';
export type { BarrierOptions } from './barrier.js';
export { Lockable, withLock, withLockAsync } from './lockable.js';
export type { BlockOptions } from './wait.js';
export { Queue, SimpleQueue, JoinableQueue, DEFAULT_QUEUE_BYTES } from './queue.js';
export type { QueueOptions } from './queue.js';
