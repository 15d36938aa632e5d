/**
 * Proxies as a transport kind: a proxy in a Pool task's arguments, `initargs`, a Process's args or
 * `toDescriptors(workerData)` crosses as its store's descriptor plus typeid and id, and arrives as a
 * live proxy to the same object. Imported by the package root and `shared-ndarray/manager`; a
 * worker loads it when the first proxy arrives (deferred-kinds.ts).
 *
 * @internal
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';
import { registerKind } from '../transport/transport.js';
import { embeddedStore } from './embedded.js';
import type { EmbeddedDescriptor } from './protocol.js';
import { BaseProxy, makeProxy } from './proxies.js';
import { PROXY, type Store, type StoreDescriptor } from './store.js';

interface ProxyDescriptor {
  readonly store: StoreDescriptor;
  readonly typeid: string;
  readonly id: string;
}

/**
 * How each store kind is found again from its descriptor in another thread. A Redis-backed
 * manager's proxies cross as embedded ones: other threads reach Redis through its manager thread.
 */
const storeKinds = new Map<string, (descriptor: StoreDescriptor) => Store>([
  ['embedded', (d) => embeddedStore(d as EmbeddedDescriptor)],
]);

registerKind<BaseProxy, ProxyDescriptor>({
  name: 'ManagerProxy',
  is: (value): value is BaseProxy => value instanceof BaseProxy,
  encode: (proxy) => {
    const ref = proxy[PROXY];
    return { store: ref.store.descriptor(), typeid: ref.typeid, id: ref.id };
  },
  decode: (descriptor) => {
    const open = storeKinds.get(descriptor?.store?.kind);
    if (open === undefined || typeof descriptor.typeid !== 'string' || typeof descriptor.id !== 'string') {
      throw new ArgumentError(`decode: invalid manager proxy descriptor ${show(descriptor)}${open === undefined && typeof descriptor?.store?.kind === 'string' ? ` (the ${show(descriptor.store.kind)} store is not loaded in this thread: import 'shared-ndarray/manager')` : ''}`);
    }
    return makeProxy(open(descriptor.store), descriptor.typeid, descriptor.id);
  },
});
