/**
 * `Queue`, `SimpleQueue` and `JoinableQueue`: Python's multiprocessing queues as a ring buffer in
 * one SharedArrayBuffer, shared by any number of producer and consumer threads. Items are copied
 * in as bytes (see item-codec.ts), whole or not at all, under an internal lock; a put or get that
 * must wait sleeps on a counter the other side bumps, so nothing polls.
 *
 * Memory: a 64-byte header of Int32 words, then the ring. Each item is an 8-byte frame (payload
 * length, tag, typed-array kind) followed by its payload, wrapping around the end of the ring.
 */
import { ArgumentError, Empty, Full, SyncStateError } from '../errors.js';
import { checkOptionKeys, show } from '../check.js';
import { Tag, decodeItem, encodeItem, payload, payloadLength, payloadTarget } from './item-codec.js';
import { currentTable } from './liveness.js';
import { Lock, timedOut } from './lock.js';
import { Deadline, block, blockTimeout, checkTimeout, later, type BlockOptions, type Waiting } from './wait.js';

const LOCK = 0;
/** Ring offset of the oldest item's frame. */
const START = 1;
/** Bytes in use, frames included. */
const USED = 2;
const COUNT = 3;
/** Bumped by every put / get: what waiting getters / putters sleep on. */
const PUTS = 4;
const GETS = 5;
/** JoinableQueue: items put and not yet marked done. */
const UNFINISHED = 6;
const MAXSIZE = 7;
const CAPACITY = 8;
const GET_SLEEPERS = 9;
const PUT_SLEEPERS = 10;
const JOIN_SLEEPERS = 11;
/** Set once the queue was found inconsistent after a thread died inside a put or get. */
const BROKEN = 12;
const HEADER_BYTES = 64;
const FRAME_BYTES = 8;
/** One frame's bytes, filled and copied with no wait in between (so one per thread will do). */
const frame = new Uint8Array(FRAME_BYTES);
const frameView = new DataView(frame.buffer);

/** Ring size when none is given: 1 MiB. */
export const DEFAULT_QUEUE_BYTES = 1 << 20;
const MAX_QUEUE_BYTES = 2 ** 31 - 1 - HEADER_BYTES;

type QueueType = 'Queue' | 'SimpleQueue' | 'JoinableQueue';

export interface QueueOptions {
  /** Bytes of shared memory for items in flight (frames of 8 bytes included); default 1 MiB. An item must fit. */
  bytes?: number;
}

export interface QueueDescriptor {
  readonly type: QueueType;
  readonly buffer: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
}

function checkBytes(fn: string, bytes: unknown): number {
  if (bytes === undefined) return DEFAULT_QUEUE_BYTES;
  if (!Number.isSafeInteger(bytes) || (bytes as number) < FRAME_BYTES + 1 || (bytes as number) > MAX_QUEUE_BYTES) {
    throw new ArgumentError(`${fn}: invalid argument 'options.bytes': expected an integer from ${FRAME_BYTES + 1} to ${MAX_QUEUE_BYTES}, got ${show(bytes)}`);
  }
  return bytes as number;
}

/** The shared machinery; the public classes choose which of it to expose. */
export abstract class QueueBase {
  protected readonly words: Int32Array;
  readonly #ring: Uint8Array;
  readonly #lock: Lock;
  #closed = false;

  protected constructor(type: QueueType, maxsize: unknown, options: QueueOptions | undefined, descriptor?: QueueDescriptor) {
    if (descriptor !== undefined) {
      const { buffer } = descriptor;
      if (!(buffer instanceof SharedArrayBuffer) || !(descriptor.table instanceof SharedArrayBuffer) || buffer.byteLength <= HEADER_BYTES
        || new Int32Array(buffer)[CAPACITY] !== buffer.byteLength - HEADER_BYTES) {
        throw new ArgumentError(`${type}.fromDescriptor: invalid argument 'descriptor': expected what toDescriptor() returned, got ${show(descriptor)}`);
      }
      this.words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
      this.#ring = new Uint8Array(buffer, HEADER_BYTES);
      this.#lock = new Lock({ buffer, index: LOCK, table: descriptor.table });
      return;
    }
    if (typeof maxsize !== 'number' || !Number.isSafeInteger(maxsize) || maxsize > 2 ** 31 - 1) {
      throw new ArgumentError(`${type}: invalid argument 'maxsize': expected an integer (0 or less for no limit, as in Python), got ${show(maxsize)}`);
    }
    checkOptionKeys(type, 'options', options, ['bytes']);
    const capacity = checkBytes(type, options?.bytes);
    const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity);
    this.words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.words[MAXSIZE] = Math.max(0, maxsize);
    this.words[CAPACITY] = capacity;
    this.#ring = new Uint8Array(buffer, HEADER_BYTES);
    this.#lock = new Lock({ buffer, index: LOCK, table: currentTable().buffer });
  }

  protected abstract get type(): QueueType;

  /**
   * @throws {ArgumentError} when `descriptor` is not one `toDescriptor()` returned
   */
  static fromDescriptor(descriptor: QueueDescriptor): Queue | SimpleQueue | JoinableQueue {
    switch (descriptor?.type) {
      case 'Queue': return new Queue(0, undefined, descriptor);
      case 'SimpleQueue': return new SimpleQueue(undefined, descriptor);
      case 'JoinableQueue': return new JoinableQueue(0, undefined, descriptor);
      default: throw new ArgumentError(`Queue.fromDescriptor: invalid argument 'descriptor': expected what toDescriptor() returned, got ${show(descriptor)}`);
    }
  }

  toDescriptor(): QueueDescriptor {
    return { type: this.type, buffer: this.words.buffer as SharedArrayBuffer, table: this.#lock.toDescriptor().table };
  }

  /** Bytes of ring memory. */
  get bytes(): number {
    return this.words[CAPACITY]!;
  }

  #checkOpen(fn: string): void {
    if (this.#closed) throw new SyncStateError(`${fn}: the queue is closed (close() was called on this handle)`);
  }

  /**
   * The internal lock. A put or get updates the counters only after its copy, in a few plain
   * writes; a thread terminated between two of them (the only way one can stop there) leaves
   * the ring inconsistent. So after such a death the ring is checked, frame by frame, and a
   * queue that does not add up is marked broken rather than handing out garbage.
   */
  *#locking(fn: string): Waiting<void> {
    if (!this.#lock.tryAcquire() && (yield* this.#lock.acquiring(Infinity)) === 'owner-died' && !this.#consistent()) {
      Atomics.store(this.words, BROKEN, 1);
    }
    if (Atomics.load(this.words, BROKEN) === 1) {
      this.#lock.release();
      throw new SyncStateError(`${fn}: a thread was terminated inside a put or get of this queue and left its contents inconsistent; the queue cannot be used any more`);
    }
  }

  /** Whether COUNT frames from START add up to USED bytes. */
  #consistent(): boolean {
    const words = this.words;
    const capacity = words[CAPACITY]!;
    let at = words[START]!, used = 0;
    const header = new Uint8Array(FRAME_BYTES);
    for (let i = 0; i < words[COUNT]!; i++) {
      if (at < 0 || at >= capacity || used + FRAME_BYTES > words[USED]!) return false;
      at = this.#copyOut(at, header);
      const length = new DataView(header.buffer).getUint32(0, true);
      used += FRAME_BYTES + length;
      if (used > words[USED]! || header[4]! < Tag.Number || header[4]! > Tag.Serialized) return false;
      at = (at + length) % capacity;
    }
    return used === words[USED];
  }

  #copyIn(at: number, bytes: Uint8Array): number {
    const ring = this.#ring;
    const first = Math.min(bytes.length, ring.length - at);
    ring.set(first === bytes.length ? bytes : bytes.subarray(0, first), at);
    if (first < bytes.length) ring.set(bytes.subarray(first), 0);
    return (at + bytes.length) % ring.length;
  }

  #copyOut(at: number, into: Uint8Array): number {
    const ring = this.#ring;
    const first = Math.min(into.length, ring.length - at);
    into.set(ring.subarray(at, at + first));
    if (first < into.length) into.set(ring.subarray(0, into.length - first), first);
    return (at + into.length) % ring.length;
  }

  protected *putting(fn: string, item: unknown, timeout: number): Waiting<void> {
    this.#checkOpen(fn);
    const encoded = encodeItem(fn, item);
    const need = FRAME_BYTES + payloadLength(encoded);
    const words = this.words;
    if (need > words[CAPACITY]!) {
      throw new ArgumentError(`${fn}: invalid argument 'item': it takes ${need} bytes in the queue (8 of them its frame), more than the queue's ring of ${words[CAPACITY]} bytes: create the queue with { bytes: ${need} } or more`);
    }
    const deadline = new Deadline(timeout);
    for (;;) {
      yield* this.#locking(fn);
      const maxsize = words[MAXSIZE]!;
      if ((maxsize === 0 || words[COUNT]! < maxsize) && words[CAPACITY]! - words[USED]! >= need) {
        const at = (words[START]! + words[USED]!) % words[CAPACITY]!;
        frameView.setUint32(0, need - FRAME_BYTES, true);
        frame[4] = encoded.tag;
        frame[5] = encoded.kind;
        this.#copyIn(this.#copyIn(at, frame), payload(encoded));
        words[USED] = words[USED]! + need;
        words[COUNT] = words[COUNT]! + 1;
        Atomics.add(words, UNFINISHED, 1);
        Atomics.add(words, PUTS, 1);
        this.#lock.release();
        if (Atomics.load(words, GET_SLEEPERS) > 0) Atomics.notify(words, PUTS);
        return;
      }
      const gets = Atomics.load(words, GETS);
      this.#lock.release();
      const remaining = deadline.remaining();
      if (remaining === 0) {
        throw new Full(timeout === 0 ? `${fn}: the queue is full` : `${fn}: the queue stayed full for ${timeout} ms`);
      }
      // A typed array is still the caller's memory: take the copy now, before other code runs.
      if (encoded.tag === Tag.TypedArray && encoded.bytes.buffer === (item as Uint8Array).buffer) encoded.bytes = encoded.bytes.slice();
      Atomics.add(words, PUT_SLEEPERS, 1);
      try {
        yield { words, index: GETS, value: gets, timeout: remaining };
      } finally {
        Atomics.sub(words, PUT_SLEEPERS, 1);
      }
    }
  }

  protected *getting(fn: string, timeout: number): Waiting<unknown> {
    this.#checkOpen(fn);
    const words = this.words;
    const deadline = new Deadline(timeout);
    for (;;) {
      yield* this.#locking(fn);
      if (words[COUNT]! > 0) {
        let at = this.#copyOut(words[START]!, frame);
        const length = frameView.getUint32(0, true);
        const tag = frame[4]!;
        const kind = frame[5]!;
        const bytes = payloadTarget(tag, length);
        at = this.#copyOut(at, bytes);
        words[START] = at;
        words[USED] = words[USED]! - FRAME_BYTES - length;
        words[COUNT] = words[COUNT]! - 1;
        Atomics.add(words, GETS, 1);
        this.#lock.release();
        if (Atomics.load(words, PUT_SLEEPERS) > 0) Atomics.notify(words, GETS);
        return decodeItem(tag, kind, bytes);
      }
      const puts = Atomics.load(words, PUTS);
      this.#lock.release();
      const remaining = deadline.remaining();
      if (remaining === 0) {
        throw new Empty(timeout === 0 ? `${fn}: the queue is empty` : `${fn}: the queue stayed empty for ${timeout} ms`);
      }
      Atomics.add(words, GET_SLEEPERS, 1);
      try {
        yield { words, index: PUTS, value: puts, timeout: remaining };
      } finally {
        Atomics.sub(words, GET_SLEEPERS, 1);
      }
    }
  }

  /** Items in the queue (a snapshot). */
  qsize(): number {
    return Atomics.load(this.words, COUNT);
  }

  empty(): boolean {
    return this.qsize() === 0;
  }

  /**
   * This handle will put and get no more (Python's `close`): later calls on it throw a
   * SyncStateError. Other handles of the same queue, in this thread or others, are unaffected.
   */
  close(): void {
    this.#closed = true;
  }
}

/**
 * Python's `multiprocessing.Queue`. `maxsize` limits items (0: no limit); `options.bytes` the ring.
 * `T` types the items for TypeScript only (`new Queue<number>()`); nothing checks it at run time.
 */
export class Queue<T = unknown> extends QueueBase {
  /**
   * @throws {ArgumentError} when `maxsize` is not an integer, or `options.bytes` is out of range
   */
  constructor(maxsize?: number, options?: QueueOptions);
  /** @internal */
  constructor(maxsize: number, options: undefined, descriptor: QueueDescriptor);
  constructor(maxsize = 0, options?: QueueOptions, descriptor?: QueueDescriptor) {
    super(new.target.name as QueueType, maxsize, options, descriptor);
  }

  protected get type(): QueueType {
    return 'Queue';
  }

  /** Most items it holds; 0 for no limit. */
  get maxsize(): number {
    return this.words[MAXSIZE]!;
  }

  /**
   * Adds `item` (a copy), waiting for room if needed; throws Full when `block` is false or
   * `timeout` ms pass. Blocks the thread while waiting: use `putAsync` on the main thread.
   * @throws {Full} when there is no room within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} when `item` cannot be cloned or outgrows the ring, or `options` is malformed
   * @throws {SyncStateError} when this handle is closed, or the queue is broken (a thread died in a put or get)
   */
  put(item: T, options?: BlockOptions): void {
    block(this.putting(`${this.type}.put`, item, blockTimeout(`${this.type}.put`, options)));
  }

  /**
   * Removes and returns the oldest item, waiting for one; throws Empty when `block` is false or `timeout` ms pass.
   * @throws {Empty} when no item comes within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} when `options` is malformed
   * @throws {SyncStateError} when this handle is closed, or the queue is broken (a thread died in a put or get)
   */
  get(options?: BlockOptions): T {
    return block(this.getting(`${this.type}.get`, blockTimeout(`${this.type}.get`, options))) as T;
  }

  /**
   * @throws {Full} when there is no room now
   * @throws {ArgumentError} when `item` cannot be cloned or outgrows the ring
   * @throws {SyncStateError} when this handle is closed, or the queue is broken
   */
  putNowait(item: T): void {
    block(this.putting(`${this.type}.putNowait`, item, 0));
  }

  /**
   * @throws {Empty} when the queue is empty
   * @throws {SyncStateError} when this handle is closed, or the queue is broken
   */
  getNowait(): T {
    return block(this.getting(`${this.type}.getNowait`, 0)) as T;
  }

  /**
   * `put` that never blocks the event loop; rejects with Full on timeout.
   * @throws {Full} (rejects) when there is no room within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `item` cannot be cloned or outgrows the ring, or `options` is malformed
   * @throws {SyncStateError} (rejects) when this handle is closed, or the queue is broken
   */
  putAsync(item: T, options?: BlockOptions): Promise<void> {
    try {
      return later(this.putting(`${this.type}.putAsync`, item, blockTimeout(`${this.type}.putAsync`, options)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `get` that never blocks the event loop; rejects with Empty on timeout.
   * @throws {Empty} (rejects) when no item comes within `options.timeout` (or at once, `block: false`)
   * @throws {ArgumentError} (rejects) when `options` is malformed
   * @throws {SyncStateError} (rejects) when this handle is closed, or the queue is broken
   */
  getAsync(options?: BlockOptions): Promise<T> {
    try {
      return later(this.getting(`${this.type}.getAsync`, blockTimeout(`${this.type}.getAsync`, options))) as Promise<T>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Whether it holds `maxsize` items (a snapshot; always false without a maxsize). */
  full(): boolean {
    const maxsize = this.words[MAXSIZE]!;
    return maxsize > 0 && this.qsize() >= maxsize;
  }
}

/** Python's `multiprocessing.SimpleQueue`: unbounded in items, blocking `get`, no timeouts. */
export class SimpleQueue<T = unknown> extends QueueBase {
  /**
   * @throws {ArgumentError} when `options.bytes` is out of range
   */
  constructor(options?: QueueOptions);
  /** @internal */
  constructor(options: undefined, descriptor: QueueDescriptor);
  constructor(options?: QueueOptions, descriptor?: QueueDescriptor) {
    super('SimpleQueue', 0, options, descriptor);
  }

  protected get type(): QueueType {
    return 'SimpleQueue';
  }

  /**
   * Adds `item`, waiting while the ring has no room for it.
   * @throws {ArgumentError} when `item` cannot be cloned or outgrows the ring
   * @throws {SyncStateError} when this handle is closed, or the queue is broken
   */
  put(item: T): void {
    block(this.putting('SimpleQueue.put', item, Infinity));
  }

  /**
   * @throws {SyncStateError} when this handle is closed, or the queue is broken
   */
  get(): T {
    return block(this.getting('SimpleQueue.get', Infinity)) as T;
  }

  /**
   * @throws {ArgumentError} (rejects) when `item` cannot be cloned or outgrows the ring
   * @throws {SyncStateError} (rejects) when this handle is closed, or the queue is broken
   */
  putAsync(item: T): Promise<void> {
    return later(this.putting('SimpleQueue.putAsync', item, Infinity));
  }

  /**
   * @throws {SyncStateError} (rejects) when this handle is closed, or the queue is broken
   */
  getAsync(): Promise<T> {
    return later(this.getting('SimpleQueue.getAsync', Infinity)) as Promise<T>;
  }
}

/** Python's `multiprocessing.JoinableQueue`: a Queue whose consumers mark items done and whose `join` waits for all. */
export class JoinableQueue<T = unknown> extends Queue<T> {
  protected override get type(): QueueType {
    return 'JoinableQueue';
  }

  /**
   * Marks one item taken with `get` as processed; throws SyncStateError if more than were put.
   * @throws {SyncStateError} when called more times than items were put
   */
  taskDone(): void {
    const words = this.words;
    for (;;) {
      const unfinished = Atomics.load(words, UNFINISHED);
      if (unfinished === 0) throw new SyncStateError('JoinableQueue.taskDone: called more times than there were items put');
      if (Atomics.compareExchange(words, UNFINISHED, unfinished, unfinished - 1) === unfinished) {
        if (unfinished === 1 && Atomics.load(words, JOIN_SLEEPERS) > 0) Atomics.notify(words, UNFINISHED);
        return;
      }
    }
  }

  *#joining(timeout: number): Waiting<boolean> {
    const words = this.words;
    const deadline = new Deadline(timeout);
    for (;;) {
      const unfinished = Atomics.load(words, UNFINISHED);
      if (unfinished === 0) return true;
      const remaining = deadline.remaining();
      if (remaining === 0) return false;
      Atomics.add(words, JOIN_SLEEPERS, 1);
      try {
        yield { words, index: UNFINISHED, value: unfinished, timeout: remaining };
      } finally {
        Atomics.sub(words, JOIN_SLEEPERS, 1);
      }
    }
  }

  /**
   * Blocks until every item put has been marked done. Python's `join` takes no timeout; this one
   * may, and returns false when it passes.
   * @throws {ArgumentError} when `timeout` is not a number >= 0
   */
  join(timeout?: number | null): boolean {
    return block(this.#joining(checkTimeout('JoinableQueue.join', 'timeout', timeout)));
  }

  /**
   * The async `join`; rejects with a TimeoutError after `timeout` ms.
   * @throws {TimeoutError} (rejects) when items are still unfinished after `timeout`
   * @throws {ArgumentError} (rejects) when `timeout` is not a number >= 0
   */
  async joinAsync(timeout?: number | null): Promise<void> {
    const ms = checkTimeout('JoinableQueue.joinAsync', 'timeout', timeout);
    if (!(await later(this.#joining(ms)))) throw timedOut('JoinableQueue.joinAsync', ms);
  }
}
