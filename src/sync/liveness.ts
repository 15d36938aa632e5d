/**
 * Which threads are alive, in shared memory, so a lock held by a thread that died can be
 * recovered instead of deadlocking every other thread (a robust mutex).
 *
 * A thread's identity is a slot in a table plus the slot's generation: `id = gen << SLOT_BITS |
 * slot`. The thread that starts a worker (Pool, Process) reserves its slot and marks it dead when
 * the worker exits; marking bumps the generation, so an id recorded in a lock word stops being
 * alive for good, even after the slot is reused. Each slot also has an event word that its owner
 * bumps when it releases a contended lock, and the death mark bumps too: lock waiters sleep on
 * the owner's event word, so one wake-up covers both "released" and "died" without polling.
 *
 * Threads nobody watches (a raw `worker_threads.Worker` that received a lock) take a slot of
 * their own on first use; they are never marked dead, so their deaths are not detected.
 */
import { isMainThread } from 'node:worker_threads';
import { SyncStateError } from '../errors.js';

export const SLOT_BITS = 12;
const SLOTS = 1 << SLOT_BITS;
const SLOT_MASK = SLOTS - 1;
const GEN_BITS = 18;
const GEN_MASK = (1 << GEN_BITS) - 1;
/** An id fits in 30 bits, leaving bit 30 of a lock word for "has waiters". */
export const ID_MASK = (1 << (SLOT_BITS + GEN_BITS)) - 1;

/** Word 0 holds the table's random id (a SharedArrayBuffer is a new object each time it arrives). */
const TABLE_ID = 0;
const STATE = SLOTS;
const EVENTS = 2 * SLOTS;
const WORDS = 3 * SLOTS;

const ALIVE = 1;

/** The slots of one table; every thread that shares it sees the same words. */
export class LivenessTable {
  readonly words: Int32Array;

  constructor(buffer?: SharedArrayBuffer) {
    if (buffer === undefined) {
      buffer = new SharedArrayBuffer(WORDS * 4);
      this.words = new Int32Array(buffer);
      this.words[TABLE_ID] = (Math.random() * 0x7fffffff) | 1;
    } else {
      this.words = new Int32Array(buffer);
    }
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  get id(): number {
    return this.words[TABLE_ID]!;
  }

  /** Claims a free slot for a new thread, marked alive. */
  reserve(): number {
    const { words } = this;
    for (let slot = 1; slot < SLOTS; slot++) {
      const state = Atomics.load(words, STATE + slot);
      if ((state & ALIVE) === 0 && Atomics.compareExchange(words, STATE + slot, state, state | ALIVE) === state) {
        return ((state >>> 1) << SLOT_BITS) | slot;
      }
    }
    throw new SyncStateError(`more than ${SLOTS - 1} threads use shared locks at once: no liveness slot is free`);
  }

  isAlive(id: number): boolean {
    const slot = id & SLOT_MASK;
    return Atomics.load(this.words, STATE + slot) === ((((id >>> SLOT_BITS) & GEN_MASK) << 1) | ALIVE);
  }

  /** Records that the thread `id` is gone, and wakes everyone waiting on a lock it held. */
  markDead(id: number): void {
    const slot = id & SLOT_MASK;
    const gen = (id >>> SLOT_BITS) & GEN_MASK;
    const alive = (gen << 1) | ALIVE;
    if (Atomics.compareExchange(this.words, STATE + slot, alive, ((gen + 1) & GEN_MASK) << 1) === alive) {
      this.wake(id);
    }
  }

  /** The event word lock waiters sleep on while `id` holds the lock. */
  eventIndex(id: number): number {
    return EVENTS + (id & SLOT_MASK);
  }

  wake(id: number): void {
    const index = this.eventIndex(id);
    Atomics.add(this.words, index, 1);
    Atomics.notify(this.words, index);
  }
}

/** What a starting thread is given: the table and its reserved id. */
export interface ThreadIdentity {
  readonly table: SharedArrayBuffer;
  readonly id: number;
}

/** This thread's table: created by the main thread, adopted by workers. */
let primary: LivenessTable | undefined;
/** This thread's id in each table it has used, by table id. */
const ids = new Map<number, number>();

function primaryTable(): LivenessTable {
  primary ??= new LivenessTable();
  return primary;
}

/** The table new primitives record owners in. */
export function currentTable(): LivenessTable {
  return primaryTable();
}

/**
 * A table that arrived with a shared object. A worker that has none yet adopts it, so the objects
 * it creates later share the main thread's table.
 */
export function tableFor(buffer: SharedArrayBuffer): LivenessTable {
  const table = new LivenessTable(buffer);
  if (primary === undefined && !isMainThread) primary = table;
  return primary?.id === table.id ? primary : table;
}

/** This thread's id in `table`, taking an (unwatched) slot on first use. */
export function threadIdIn(table: LivenessTable): number {
  let id = ids.get(table.id);
  if (id === undefined) {
    id = table.reserve();
    ids.set(table.id, id);
  }
  return id;
}

/**
 * Reserves an identity for a thread about to start. Pass the result to the thread (in its
 * workerData), call `adoptIdentity` there first thing, and `markDead` here when it exits.
 */
export function reserveIdentity(): ThreadIdentity & { markDead(): void } {
  const table = primaryTable();
  const id = table.reserve();
  return { table: table.buffer, id, markDead: () => table.markDead(id) };
}

/** Worker side of `reserveIdentity`. */
export function adoptIdentity(identity: ThreadIdentity): void {
  const table = new LivenessTable(identity.table);
  primary = table;
  ids.set(table.id, identity.id);
  // The starting thread marks the death too, but only when its event loop runs; a main thread
  // blocked in Atomics.wait on a lock this thread holds would never get there. A thread that
  // exits by itself (process.exit, an uncaught exception) says so first; `terminate()` comes
  // from the starting thread, which is then not blocked.
  process.once('exit', () => table.markDead(identity.id));
  // A pool worker's uncaught exception does not end the thread by itself: `threads` reports it,
  // and the pool stops the thread when its event loop gets the report. The exception unwound
  // whatever held the lock, and the thread is finished either way, so it is dead from here on.
  process.once('uncaughtExceptionMonitor', () => table.markDead(identity.id));
}
