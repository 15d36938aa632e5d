/**
 * The Redis-backed manager's store in the thread that started it: blocking calls, and calls that
 * may wait (queues, locks, events), go through the manager's thread as for the embedded store;
 * the async forms of calls that never wait (dict, list, Namespace, Value, Array) go to Redis from
 * this thread, one round trip without the two thread hops. Other threads' proxies use the
 * manager's thread for everything (the descriptor they get is the embedded one).
 *
 * @internal
 */
import { ManagerStateError } from '../errors.js';
import type { EmbeddedStore } from './embedded.js';
import type { EmbeddedDescriptor } from './protocol.js';
import type { RedisBackend } from './redis-store.js';
import { prepare, reviveRefs, type Store } from './store.js';

const DIRECT = new Set(['dict', 'list', 'Namespace', 'Value', 'Array']);

export class RedisDirectStore implements Store {
  readonly key: string;
  readonly #embedded: EmbeddedStore;
  readonly #backend: RedisBackend;

  constructor(embedded: EmbeddedStore, backend: RedisBackend) {
    this.key = embedded.key;
    this.#embedded = embedded;
    this.#backend = backend;
  }

  descriptor(): EmbeddedDescriptor {
    return this.#embedded.descriptor();
  }

  callSync(fn: string, id: string, method: string, args: unknown[]): unknown {
    return this.#embedded.callSync(fn, id, method, args);
  }

  async callAsync(fn: string, id: string, method: string, args: unknown[]): Promise<unknown> {
    if (this.#embedded.shutDown) throw new ManagerStateError(`${fn}: the manager is shut down`);
    if (id === '' || !DIRECT.has(this.#backend.knownTypeid(id) ?? await this.#backend.typeidOf(fn, id))) return this.#embedded.callAsync(fn, id, method, args);
    const prepared = prepare(fn, this, args);
    const ctx = { caller: '', fn, defer: () => { throw new ManagerStateError(`${fn}: a direct call cannot wait`); } };
    return reviveRefs(this, await this.#backend.call(ctx, id, method, prepared));
  }

  close(): Promise<void> {
    return this.#backend.close();
  }
}
