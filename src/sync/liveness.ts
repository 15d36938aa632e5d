/**
 * Which threads are alive, in shared memory, so a lock held by a thread that died can be
 * recovered instead of deadlocking every other thread (a robust mutex).
 *
 * A thread's identity is a slot in a table plus the slot's generation: `id = gen << SLOT_BITS |
 * slot`. Marking a thread dead bumps the generation, so an id recorded in a lock word stops being
 * alive for good, even after the slot is reused. Each slot also has an event word that its owner
 * bumps when it releases a contended lock, and the death mark bumps too: lock waiters sleep on
 * the owner's event word, so one wake-up covers both "released" and "died" without polling.
 *
 * Every slot is given back when its thread ends, so a process can start any number of threads
 * over its life (only 4095 may use one table at once):
 * - a thread the package starts (Pool, Process) has its slot reserved by its starter, which marks
 *   it dead when the worker exits; the worker marks itself on its way out too (`adoptIdentity`,
 *   on its first use of a table);
 * - any other thread (a plain `worker_threads.Worker` that received a lock) takes a slot on first
 *   use, recorded with its threadId, and marks it dead when it exits (its 'exit' event). A
 *   `terminate()` runs none of the thread's code, so the thread that created the Worker does it:
 *   every thread that loads this module watches the Workers it creates (the diagnostics channel
 *   'worker_threads') and, when one exits, marks dead every slot recorded with its threadId. A
 *   terminated thread whose creator never loaded the package keeps its slot, and its locks' waiters
 *   are not told of its death.
 */
import { subscribe } from 'node:diagnostics_channel';
import { isMainThread, threadId, workerData, type Worker } from 'node:worker_threads';
import { ArgumentError, SyncStateError } from '../errors.js';

export const SLOT_BITS = 12;
/** The most slots a table has: ids hold SLOT_BITS bits of slot. */
const MAX_SLOTS = 1 << SLOT_BITS;
const SLOT_MASK = MAX_SLOTS - 1;
const GEN_BITS = 18;
const GEN_MASK = (1 << GEN_BITS) - 1;
/** An id fits in 30 bits, leaving bit 30 of a lock word for "has waiters". */
export const ID_MASK = (1 << (SLOT_BITS + GEN_BITS)) - 1;

/** Word 0 holds the table's random id (a SharedArrayBuffer is a new object each time it arrives). */
const TABLE_ID = 0;
/** Regions of a table of n slots: [ids | state | events | owners], n words each. */
const REGIONS = 4;

const ALIVE = 1;
/** The owner word of a slot whose starter marks it dead (Pool, Process): no threadId to watch. */
const WATCHED_BY_STARTER = -1;
/** The owner word of a slot taken on first use: the thread's threadId + 1 (0 means free). */
const ownerTag = (thread: number): number => thread + 1;

/** The slots of one table; every thread that shares it sees the same words. */
export class LivenessTable {
  readonly words: Int32Array;
  /** Slots in this table, slot 0 unused (its words hold the table id). */
  readonly slots: number;
  readonly #state: number;
  readonly #events: number;
  readonly #owners: number;

  /** Adopts `buffer`'s table, or makes a new one of `slots` slots (at most 4096, the default). */
  constructor(buffer?: SharedArrayBuffer, slots = MAX_SLOTS) {
    if (buffer === undefined) {
      if (!Number.isInteger(slots) || slots < 2 || slots > MAX_SLOTS) throw new RangeError(`LivenessTable: slots must be from 2 to ${MAX_SLOTS}, got ${slots}`);
      buffer = new SharedArrayBuffer(REGIONS * slots * 4);
      this.words = new Int32Array(buffer);
      this.words[TABLE_ID] = (Math.random() * 0x7fffffff) | 1;
    } else {
      const n = buffer.byteLength / (REGIONS * 4);
      if (!Number.isInteger(n) || n < 2 || n > MAX_SLOTS) {
        throw new ArgumentError(`invalid argument 'descriptor.table': expected the liveness table of a shared lock, got a SharedArrayBuffer of ${buffer.byteLength} bytes`);
      }
      this.words = new Int32Array(buffer);
    }
    this.slots = this.words.length / REGIONS;
    this.#state = this.slots;
    this.#events = 2 * this.slots;
    this.#owners = 3 * this.slots;
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  get id(): number {
    return this.words[TABLE_ID]!;
  }

  /**
   * Claims a free slot, marked alive, for a thread recorded as `owner` (`ownerTag(threadId)`, or
   * WATCHED_BY_STARTER). The owner word is the claim: a slot is free when it is 0, and only its
   * claimant makes the slot alive.
   */
  reserve(owner: number = WATCHED_BY_STARTER): number {
    const { words } = this;
    for (let slot = 1; slot < this.slots; slot++) {
      if (Atomics.load(words, this.#owners + slot) !== 0 || Atomics.compareExchange(words, this.#owners + slot, 0, owner) !== 0) continue;
      const state = Atomics.load(words, this.#state + slot);
      Atomics.store(words, this.#state + slot, state | ALIVE);
      return ((state >>> 1) << SLOT_BITS) | slot;
    }
    throw new SyncStateError(`more than ${this.slots - 1} threads use shared locks at once: no liveness slot is free`);
  }

  isAlive(id: number): boolean {
    const slot = id & SLOT_MASK;
    return Atomics.load(this.words, this.#state + slot) === ((((id >>> SLOT_BITS) & GEN_MASK) << 1) | ALIVE);
  }

  /** Records that the thread `id` is gone, wakes everyone waiting on a lock it held, and frees its slot. */
  markDead(id: number): void {
    const slot = id & SLOT_MASK;
    const gen = (id >>> SLOT_BITS) & GEN_MASK;
    const alive = (gen << 1) | ALIVE;
    // the owner word cannot change while the slot is alive: read it before the slot can be reused
    const owner = Atomics.load(this.words, this.#owners + slot);
    if (Atomics.compareExchange(this.words, this.#state + slot, alive, ((gen + 1) & GEN_MASK) << 1) === alive) {
      this.wake(id);
      // the death is recorded (the generation moved on): only now may the slot be claimed again
      Atomics.compareExchange(this.words, this.#owners + slot, owner, 0);
    }
  }

  /**
   * Marks dead every slot recorded with `owner`, a thread that is gone, and frees any it claimed
   * but never made alive. Nothing else writes the owner word of a slot that still holds `owner`.
   */
  reclaim(owner: number): void {
    const { words } = this;
    for (let slot = 1; slot < this.slots; slot++) {
      if (Atomics.load(words, this.#owners + slot) !== owner) continue;
      const state = Atomics.load(words, this.#state + slot);
      if ((state & ALIVE) !== 0) this.markDead(((state >>> 1) << SLOT_BITS) | slot);
      else Atomics.compareExchange(words, this.#owners + slot, owner, 0);
    }
  }

  /** The event word lock waiters sleep on while `id` holds the lock. */
  eventIndex(id: number): number {
    return this.#events + (id & SLOT_MASK);
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

/** Whether this thread has looked for the identity its starter gave it (adoptGiven). */
let adopted = false;
/** This thread's table: created by the main thread, adopted by workers. */
let primary: LivenessTable | undefined;
/** Every table this thread has seen, by table id: where the Workers it starts may take slots. */
const tables = new Map<number, LivenessTable>();
/** This thread's id in each table it has used, by table id. */
const ids = new Map<number, number>();
/** The slots this thread took on first use, which it marks dead when it exits. */
const taken: Array<[LivenessTable, number]> = [];

function known(table: LivenessTable): LivenessTable {
  const seen = tables.get(table.id);
  if (seen) return seen;
  tables.set(table.id, table);
  return table;
}

function primaryTable(): LivenessTable {
  if (!adopted) adoptGiven();
  primary ??= known(new LivenessTable());
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
  if (!adopted) adoptGiven();
  const table = known(new LivenessTable(buffer));
  if (primary === undefined && !isMainThread) primary = table;
  return table;
}

/** This thread's id in `table`, taking a slot on first use, given back when the thread exits. */
export function threadIdIn(table: LivenessTable): number {
  let id = ids.get(table.id);
  if (id === undefined) {
    id = table.reserve(ownerTag(threadId));
    ids.set(table.id, id);
    if (!isMainThread) {
      // a worker's 'exit' runs when it returns, calls process.exit or dies of an uncaught
      // exception; the main thread's exit ends every thread that could wait on it
      if (taken.length === 0) process.once('exit', () => { for (const [t, i] of taken) t.markDead(i); });
      taken.push([table, id]);
    }
  }
  return id;
}

/** The key of a started thread's workerData that holds its identity (the value of `reserveIdentity().workerData`). */
export const IDENTITY = '__sharedNdarrayIdentity';

/**
 * Reserves an identity for a thread about to start. Put `workerData` in the thread's workerData
 * (its one key, IDENTITY, beside the thread's own; adopted there on first use, adoptGiven), and
 * call `markDead` here when it exits.
 */
export function reserveIdentity(): ThreadIdentity & { workerData: { [IDENTITY]: ThreadIdentity }; markDead(): void } {
  const table = primaryTable();
  const id = table.reserve(WATCHED_BY_STARTER);
  return { table: table.buffer, id, workerData: { [IDENTITY]: { table: table.buffer, id } }, markDead: () => table.markDead(id) };
}

/** Worker side of `reserveIdentity`: run when this module loads in the thread (below). */
function adoptIdentity(identity: ThreadIdentity): void {
  const table = known(new LivenessTable(identity.table));
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

/**
 * A thread a Pool or Process started adopts its identity on its first use of a table (every id
 * and every table a thread uses comes from primaryTable or tableFor): when a lock, a queue or
 * another object that records owners first arrives or is made, or an operation's blocks
 * (ops.worker.ts). Not in its bootstrap: a worker that never uses one holds no lock when it dies,
 * its starter marks its slot dead, and it is spared loading this module. Not at this module's
 * load either: on the main thread isMainThread would load node:worker_threads with the root.
 */
function adoptGiven(): void {
  adopted = true;
  if (isMainThread) return;
  const given = (workerData as { [IDENTITY]?: ThreadIdentity } | null | undefined)?.[IDENTITY];
  if (given !== undefined) adoptIdentity(given);
}

// Watch the Workers this thread creates: when one exits, however it ended (terminate() included),
// the slots it took on first use are marked dead. Its threadId is read now: it is -1 after exit.
subscribe('worker_threads', (message) => {
  const worker = (message as { worker?: Worker }).worker;
  if (worker === undefined || typeof worker.once !== 'function') return;
  const owner = ownerTag(worker.threadId);
  worker.once('exit', () => {
    for (const table of tables.values()) table.reclaim(owner);
  });
});
