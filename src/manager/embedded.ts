/**
 * The caller's side of the embedded manager's wire (protocol.ts): claim a slot, write the request
 * (in chunks if it is larger than a slot), ring the doorbell, wait for the reply, free the slot.
 * Written once as a generator of futex waits and driven by `block` (the blocking forms) or `later`
 * (the async forms), as the package's locks and queues are. Both spin for their answer before
 * they sleep (spin.ts) unless such spins failed lately: the manager's thread usually answers
 * within microseconds, sooner than a futex wake-up.
 *
 * @internal
 */
import { threadId } from 'node:worker_threads';
import { ManagerStateError } from '../errors.js';
import { decode } from '../transport/transport.js';
import { block, later, type Waiting } from '../sync/wait.js';
import {
  ACK, ASYNC_HELD, CLAIMED, DEAD, DOORBELL, FREE, FREED, MORE, NEXT, REPLY, REQUEST, SEQUENCE, SERVER_SLEEPING, SHUT_DOWN, SLOT_BYTES, SLOT_COUNT, STATE,
  S_FLAGS, S_LENGTH, S_SEQ, S_STATE, S_WAITING, asyncSlotLimit, pendingBase, slotBase, type EmbeddedDescriptor, type Reply,
} from './protocol.js';
import { packMessage, prepare, unpack, unpackAt, type Store } from './store.js';
import { toBytes, type Encoded } from './codec.js';
import { Spinner, spinWhile } from '../sync/spin.js';

/** The most a blocking call spins for its answer, in ms (the thread has nothing else to do). */
const BLOCKING_SPIN_MS = 0.05;
/** The most an async call spins, in ms: it holds up its thread's event loop meanwhile. */
const ASYNC_SPIN_MS = 0.02;

function shutDown(fn: string): ManagerStateError {
  return new ManagerStateError(`${fn}: the manager is shut down`);
}

export class EmbeddedStore implements Store {
  readonly key: string;
  readonly #descriptor: EmbeddedDescriptor;
  readonly #control: Int32Array;
  readonly #data: Buffer;
  /** Where the pending bits start (see protocol.ts). */
  readonly #pending: number;
  readonly #slots: number;
  readonly #slotBytes: number;
  readonly #asyncLimit: number;
  readonly #caller = String(threadId);
  /**
   * Per call name (`DictProxy.get`), blocking and async apart: whether its spins got their
   * answers lately, so that a Queue's get that waits for a put stops spinning and a dict's get does not.
   */
  readonly #blocking = new Map<string, Spinner>();
  readonly #async = new Map<string, Spinner>();
  #hint: number;

  constructor(descriptor: EmbeddedDescriptor) {
    this.#descriptor = descriptor;
    this.key = descriptor.key;
    this.#control = new Int32Array(descriptor.control);
    this.#data = Buffer.from(descriptor.data);
    this.#slots = this.#control[SLOT_COUNT]!;
    this.#pending = pendingBase(this.#slots);
    this.#slotBytes = this.#control[SLOT_BYTES]!;
    this.#asyncLimit = asyncSlotLimit(this.#slots);
    this.#hint = (threadId * 7) % this.#slots;
  }

  descriptor(): EmbeddedDescriptor {
    return this.#descriptor;
  }

  get shutDown(): boolean {
    return Atomics.load(this.#control, STATE) === SHUT_DOWN;
  }

  /** Marks the slot as having something for the server, and wakes the server if it sleeps; returns whether it did. */
  #ring(slot: number): boolean {
    const control = this.#control;
    Atomics.store(control, slotBase(slot) + S_SEQ, Atomics.add(control, SEQUENCE, 1));
    Atomics.or(control, this.#pending + (slot >> 5), 1 << (slot & 31));
    Atomics.add(control, DOORBELL, 1);
    if (Atomics.load(control, SERVER_SLEEPING) === 0) return false;
    Atomics.notify(control, DOORBELL);
    return true;
  }

  *#claiming(fn: string, async: boolean): Waiting<number> {
    const control = this.#control;
    for (;;) {
      if (Atomics.load(control, STATE) === SHUT_DOWN) throw shutDown(fn);
      const freed = Atomics.load(control, FREED);
      // an async call counts itself first, so that racing async callers never pass the limit together
      if (!async || Atomics.add(control, ASYNC_HELD, 1) < this.#asyncLimit) {
        for (let i = 0; i < this.#slots; i++) {
          const slot = (this.#hint + i) % this.#slots;
          if (Atomics.compareExchange(control, slotBase(slot) + S_STATE, FREE, CLAIMED) === FREE) {
            this.#hint = slot;
            return slot;
          }
        }
      }
      if (async) Atomics.sub(control, ASYNC_HELD, 1);
      // every slot is in use (that many calls wait at once), or async calls hold their share: sleep until one is freed
      yield { words: control, index: FREED, value: freed, timeout: 50 };
    }
  }

  /** Waits while the slot is the server's, spinning first unless `spinner` says not to (or is undefined); returns its state then (REPLY, ACK or DEAD). */
  *#awaiting(slot: number, spinner: Spinner | undefined): Waiting<number> {
    const control = this.#control;
    const index = slotBase(slot) + S_STATE;
    let state = Atomics.load(control, index);
    if (state === REPLY || state === ACK || state === DEAD) return state;
    const budget = spinner === undefined ? 0 : spinner.budget();
    if (budget > 0) {
      const until = performance.now() + budget;
      for (let left = budget; left > 0; left = until - performance.now()) {
        state = spinWhile(control, index, state, left);
        if (state === REPLY || state === ACK || state === DEAD) {
          spinner!.spun(true);
          return state;
        }
      }
      spinner!.spun(false);
    }
    for (;;) {
      state = Atomics.load(control, index);
      if (state === REPLY || state === ACK || state === DEAD) return state;
      Atomics.store(control, index + S_WAITING - S_STATE, 1);
      try {
        yield { words: control, index, value: state, timeout: Infinity };
      } finally {
        Atomics.store(control, index + S_WAITING - S_STATE, 0);
      }
    }
  }

  *#calling(fn: string, request: Encoded, async: boolean): Waiting<Reply> {
    const control = this.#control, data = this.#data, slotBytes = this.#slotBytes;
    const spinners = async ? this.#async : this.#blocking;
    let spinner = spinners.get(fn);
    if (spinner === undefined) {
      spinner = new Spinner(async ? ASYNC_SPIN_MS : BLOCKING_SPIN_MS);
      spinners.set(fn, spinner);
    }
    // an async call spins only when the manager's thread was awake: one it had to wake may need this core
    let woke = false;
    const slot = yield* this.#claiming(fn, async);
    const base = slotBase(slot);
    const offset = slot * slotBytes;
    if (typeof request === 'string' && request.length * 3 <= slotBytes) {
      // the common case: the text fits the slot whatever its characters, written there directly
      control[base + S_LENGTH] = data.write(request, offset, slotBytes);
      control[base + S_FLAGS] = 0;
      if (Atomics.compareExchange(control, base + S_STATE, CLAIMED, REQUEST) !== CLAIMED) throw shutDown(fn);
      woke = this.#ring(slot);
    } else {
      const bytes = toBytes(request);
      let expected = CLAIMED;
      for (let at = 0; ;) {
        const length = Math.min(bytes.length - at, slotBytes);
        data.set(bytes.subarray(at, at + length), offset);
        at += length;
        control[base + S_LENGTH] = length;
        control[base + S_FLAGS] = at < bytes.length ? MORE : 0;
        if (Atomics.compareExchange(control, base + S_STATE, expected, REQUEST) !== expected) throw shutDown(fn);
        woke = this.#ring(slot);
        if (at >= bytes.length) break;
        if ((yield* this.#awaiting(slot, async && woke ? undefined : spinner)) !== ACK) throw shutDown(fn);
        expected = ACK;
      }
    }
    let message: Reply | undefined;
    const chunks: Uint8Array[] = [];
    for (;;) {
      if ((yield* this.#awaiting(slot, async && woke ? undefined : spinner)) !== REPLY) throw shutDown(fn);
      const length = control[base + S_LENGTH]!;
      const more = (control[base + S_FLAGS]! & MORE) !== 0;
      if (!more && chunks.length === 0) {
        // decoded in place, before the slot is freed
        message = unpackAt(this, data, offset, offset + length) as Reply;
        break;
      }
      chunks.push(new Uint8Array(data.subarray(offset, offset + length)));
      if (!more) break;
      if (Atomics.compareExchange(control, base + S_STATE, REPLY, NEXT) !== REPLY) throw shutDown(fn);
      woke = this.#ring(slot);
    }
    message ??= unpack(this, Buffer.concat(chunks)) as Reply;
    if (Atomics.compareExchange(control, base + S_STATE, REPLY, FREE) === REPLY) {
      if (async) Atomics.sub(control, ASYNC_HELD, 1);
      Atomics.add(control, FREED, 1);
      Atomics.notify(control, FREED);
    }
    return message;
  }

  #request(fn: string, id: string, method: string, args: unknown[]): Encoded {
    return packMessage(fn, [id, method, this.#caller, ...prepare(fn, this, args)]);
  }

  callSync(fn: string, id: string, method: string, args: unknown[]): unknown {
    return answer(block(this.#calling(fn, this.#request(fn, id, method, args), false)));
  }

  async callAsync(fn: string, id: string, method: string, args: unknown[]): Promise<unknown> {
    return answer(await later(this.#calling(fn, this.#request(fn, id, method, args), true)));
  }
}

function answer(reply: Reply): unknown {
  if (reply[0] === 0) return reply[1];
  throw decode(reply[1]);
}

/** One store per manager per thread, so every proxy of a manager shares its caller identity and slots. */
const stores = new Map<string, EmbeddedStore>();

export function embeddedStore(descriptor: EmbeddedDescriptor): EmbeddedStore {
  let store = stores.get(descriptor.key);
  if (store === undefined) {
    store = new EmbeddedStore(descriptor);
    stores.set(descriptor.key, store);
  }
  return store;
}
