/** `shared-ndarray/manager`: Python's `multiprocessing.Manager()`, its proxies and `register`. */
import '../register-kinds.js';
import './kind.js';
export { Manager } from './manager.js';
export type { ConnectOptions, ManagerOptions, NameOptions, RegisterOptions } from './manager.js';
export {
  BaseProxy, DictProxy, ListProxy, NamespaceProxy, QueueProxy, JoinableQueueProxy, LockProxy, RLockProxy, SemaphoreProxy,
  BoundedSemaphoreProxy, ConditionProxy, EventProxy, BarrierProxy, ValueProxy, ArrayProxy, AutoProxy,
} from './proxies.js';
export type { Custom, Key, Namespace } from './proxies.js';
export type { RedisTlsOptions } from './redis-options.js';
