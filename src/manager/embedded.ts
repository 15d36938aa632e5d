/**
 * The caller's side of the embedded manager's wire (protocol.ts): claim a slot, write the request
 * (in chunks if it is larger than a slot), ring the doorbell, wait for the reply, free the slot.
 * Written once as a generator of futex waits and driven by `block` (the blocking forms) or `later`
 * (the async forms), as the package's locks and queues are. A blocking call spins a few
 * microseconds before it sleeps, since the manager's thread usually answers within them.
 *
 * @internal
 */
import { availableParallelism } from 'node:os';
import { threadId } from 'node:worker_threads';
import { ManagerStateError } from '../errors.js';
import { decode } from '../transport/transport.js';
import { block, later, type Waiting } from '../sync/wait.js';
import {
  ACK, CLAIMED, DEAD, DOORBELL, FREE, FREED, MORE, NEXT, REPLY, REQUEST, SERVER_SLEEPING, SHUT_DOWN, SLOT_BYTES, SLOT_COUNT, STATE,
  S_FLAGS, S_LENGTH, S_STATE, S_WAITING, pendingBase, slotBase, type EmbeddedDescriptor, type Reply,
} from './protocol.js';
import { packMessage, prepare, unpack, unpackAt, type Store } from './store.js';
import { toBytes, type Encoded } from './codec.js';

/**
 * How long it spins for its answer before it sleeps, in ms. Spinning saves the wake-up when the other side
 * answers within microseconds, but only with cores to spare: on one or two cores the spinning
 * thread takes the core the other side needs (measured: 2-5x slower calls on 2 busy cores).
 */
const SPIN_MS = availableParallelism() >= 4 ? 0.03 : 0;

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
  readonly #caller = String(threadId);
  #hint: number;

  constructor(descriptor: EmbeddedDescriptor) {
    this.#descriptor = descriptor;
    this.key = descriptor.key;
    this.#control = new Int32Array(descriptor.control);
    this.#data = Buffer.from(descriptor.data);
    this.#slots = this.#control[SLOT_COUNT]!;
    this.#pending = pendingBase(this.#slots);
    this.#slotBytes = this.#control[SLOT_BYTES]!;
    this.#hint = (threadId * 7) % this.#slots;
  }

  descriptor(): EmbeddedDescriptor {
    return this.#descriptor;
  }

  get shutDown(): boolean {
    return Atomics.load(this.#control, STATE) === SHUT_DOWN;
  }

  /** Marks the slot as having something for the server, and wakes the server if it sleeps. */
  #ring(slot: number): void {
    const control = this.#control;
    Atomics.or(control, this.#pending + (slot >> 5), 1 << (slot & 31));
    Atomics.add(control, DOORBELL, 1);
    if (Atomics.load(control, SERVER_SLEEPING) !== 0) Atomics.notify(control, DOORBELL);
  }

  *#claiming(fn: string): Waiting<number> {
    const control = this.#control;
    for (;;) {
      if (Atomics.load(control, STATE) === SHUT_DOWN) throw shutDown(fn);
      const freed = Atomics.load(control, FREED);
      for (let i = 0; i < this.#slots; i++) {
        const slot = (this.#hint + i) % this.#slots;
        if (Atomics.compareExchange(control, slotBase(slot) + S_STATE, FREE, CLAIMED) === FREE) {
          this.#hint = slot;
          return slot;
        }
      }
      // every slot is in use (that many calls wait at once): sleep until one is freed
      yield { words: control, index: FREED, value: freed, timeout: 50 };
    }
  }

  /** Waits while the slot is the server's; returns its state then (REPLY, ACK or DEAD). */
  *#awaiting(slot: number, spin: boolean): Waiting<number> {
    const control = this.#control;
    const index = slotBase(slot) + S_STATE;
    let spinUntil = spin ? -1 : 0;
    for (;;) {
      const state = Atomics.load(control, index);
      if (state === REPLY || state === ACK || state === DEAD) return state;
      if (spinUntil !== 0) {
        const now = performance.now();
        if (spinUntil === -1) spinUntil = now + SPIN_MS;
        if (now < spinUntil) continue;
        spinUntil = 0;
      }
      Atomics.store(control, index + S_WAITING - S_STATE, 1);
      try {
        yield { words: control, index, value: state, timeout: Infinity };
      } finally {
        Atomics.store(control, index + S_WAITING - S_STATE, 0);
      }
    }
  }

  *#calling(fn: string, request: Encoded, spin: boolean): Waiting<Reply> {
    const control = this.#control, data = this.#data, slotBytes = this.#slotBytes;
    const slot = yield* this.#claiming(fn);
    const base = slotBase(slot);
    const offset = slot * slotBytes;
    if (typeof request === 'string' && request.length * 3 <= slotBytes) {
      // the common case: the text fits the slot whatever its characters, written there directly
      control[base + S_LENGTH] = data.write(request, offset, slotBytes);
      control[base + S_FLAGS] = 0;
      if (Atomics.compareExchange(control, base + S_STATE, CLAIMED, REQUEST) !== CLAIMED) throw shutDown(fn);
      this.#ring(slot);
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
        this.#ring(slot);
        if (at >= bytes.length) break;
        if ((yield* this.#awaiting(slot, spin)) !== ACK) throw shutDown(fn);
        expected = ACK;
      }
    }
    let message: Reply | undefined;
    const chunks: Uint8Array[] = [];
    for (;;) {
      if ((yield* this.#awaiting(slot, spin)) !== REPLY) throw shutDown(fn);
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
      this.#ring(slot);
    }
    message ??= unpack(this, Buffer.concat(chunks)) as Reply;
    if (Atomics.compareExchange(control, base + S_STATE, REPLY, FREE) === REPLY) {
      Atomics.add(control, FREED, 1);
      Atomics.notify(control, FREED);
    }
    return message;
  }

  #request(fn: string, id: string, method: string, args: unknown[]): Encoded {
    return packMessage(fn, [id, method, this.#caller, ...prepare(fn, this, args)]);
  }

  callSync(fn: string, id: string, method: string, args: unknown[]): unknown {
    return answer(block(this.#calling(fn, this.#request(fn, id, method, args), true)));
  }

  async callAsync(fn: string, id: string, method: string, args: unknown[]): Promise<unknown> {
    return answer(await later(this.#calling(fn, this.#request(fn, id, method, args), false)));
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
