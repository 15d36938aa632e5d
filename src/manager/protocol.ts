/**
 * The embedded manager's wire: requests and replies pass through slots of shared memory between
 * the threads that hold proxies and the manager's own thread, so a call costs two wake-ups (often
 * none: both sides spin briefly before they sleep) and no socket. One SharedArrayBuffer of Int32
 * words (`control`) holds the manager's state, a doorbell the server sleeps on, and one header per
 * slot; another (`data`) holds each slot's bytes. A message larger than a slot goes in chunks.
 *
 * A slot's life: a caller claims a FREE slot (compare-exchange), writes its request and sets
 * REQUEST; the server takes it (SERVING), runs the call (a blocking call, such as a Lock's acquire,
 * may stay SERVING for as long as it waits) and writes REPLY; the caller reads the reply and frees
 * the slot. After shutdown every slot is DEAD, which wakes any caller still waiting.
 *
 * @internal
 */

/** Words of `control`. */
export const STATE = 0;
/** Bumped by each caller that hands the server work; the server sleeps on it. */
export const DOORBELL = 1;
/** 1 while the server sleeps on DOORBELL (callers notify only then). */
export const SERVER_SLEEPING = 2;
export const SLOT_COUNT = 3;
export const SLOT_BYTES = 4;
/** Bumped when a slot is freed; callers that found no free slot sleep on it. */
export const FREED = 5;
/** Slots that async calls hold now; they may hold at most `asyncSlotLimit(slots)`. */
export const ASYNC_HELD = 6;
/** Bumped by each caller as it hands the server work; the number it got goes in the slot's S_SEQ. */
export const SEQUENCE = 7;
export const HEADER_WORDS = 16;
export const SLOT_WORDS = 5;

/** Words of a slot's header, from `slotBase(i)`. */
export const S_STATE = 0;
export const S_LENGTH = 1;
export const S_FLAGS = 2;
/** 1 while a caller sleeps on S_STATE. */
export const S_WAITING = 3;
/**
 * When the caller handed this slot to the server (SEQUENCE): the server serves the slots it finds
 * pending in this order, not in slot order, so a thread's calls in flight at once (async calls it
 * did not await) run in the order it made them, as a Python proxy's calls do.
 */
export const S_SEQ = 4;

/** STATE values. */
export const RUNNING = 0;
export const SHUT_DOWN = 1;

/** S_STATE values. */
export const FREE = 0;
export const CLAIMED = 1;
export const REQUEST = 2;
export const SERVING = 3;
export const REPLY = 4;
/** The caller read a reply chunk and wants the next one. */
export const NEXT = 5;
/** The server read a request chunk and wants the next one. */
export const ACK = 6;
export const DEAD = 7;

/** S_FLAGS: more chunks of this message follow. */
export const MORE = 1;

export const DEFAULT_SLOTS = 256;
export const DEFAULT_SLOT_BYTES = 8 * 1024;

/**
 * An async call keeps its slot until its thread's event loop reads the reply, so a thread whose
 * own async calls held every slot could never make a blocking call: that call would wait for a
 * slot only its own stopped event loop can free. Async calls leave a quarter of the slots (at
 * least one, when there are two or more) to blocking calls, which free theirs before they return.
 */
export function asyncSlotLimit(slots: number): number {
  return slots < 2 ? slots : slots - Math.max(1, slots >> 2);
}

export function slotBase(slot: number): number {
  return HEADER_WORDS + slot * SLOT_WORDS;
}

/** The first word of the pending bits (bit `slot & 31` of word `slot >> 5`). */
export function pendingBase(slots: number): number {
  return slotBase(slots);
}

/** Int32 words of `control` for `slots` slots. */
export function controlWords(slots: number): number {
  return pendingBase(slots) + Math.ceil(slots / 32);
}

export interface EmbeddedDescriptor {
  readonly kind: 'embedded';
  /** Unique per manager: which proxies belong to it. */
  readonly key: string;
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

/** A request: [object id, method, caller, ...arguments]. Object id '' is the manager itself. */
export type Request = [id: string, method: string, caller: string, ...args: unknown[]];
/** A reply: [0, value] or [1, an error as the transport encodes it]. */
export type Reply = [0, unknown] | [1, unknown];

/** How a stored value marks a proxy held inside it: `{ [REF]: [typeid, id] }`. */
export const REF = '__sharedNdarrayManagerRef';
