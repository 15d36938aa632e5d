/**
 * The messages between the thread that owns a worker and the worker itself, for both a Pool's
 * workers and a Process's thread. Values and errors inside them are transport-encoded, so shared
 * objects cross as themselves and errors keep their class and fields.
 */
import { decode, encode } from '../transport/transport.js';

/** What a call resolves to: a worker function never throws across the boundary, it replies. */
export type Reply = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Calls travel one message each way on the worker's calls port (the `threads` package's call
 * path cost two messages and a set of observables per call; see bench/investigate/pool-overhead.md).
 * Messages are arrays, not objects: structured clone copies an object's keys as strings on every
 * message, which made a round trip ~5 µs longer.
 *
 * A call: `[id, fn, flags, ...args]`, the (transport-encoded) arguments spliced in, since every
 * array nested in a message costs structured clone an object more each way; `flags` holds CHUNK
 * (the arguments are argument lists, run in order in one round trip: `map`'s chunksize) and
 * LISTEN (the caller listens to the function's progress reports).
 */
export type CallMessage = [id: number, fn: string, flags: number, ...args: unknown[]];
export const CHUNK = 1;
export const LISTEN = 2;

/**
 * From the worker, in the order sent: `[id, OK, value]` or `[id, FAILED, error]` settles call
 * `id`; `[id, PROGRESS, done, total]` is its function's `progress(done, total)`, before its reply.
 */
export type ReplyMessage = [id: number, outcome: typeof OK | typeof FAILED, value: unknown] | [id: number, outcome: typeof PROGRESS, done: number, total: number];
export const OK = 0;
export const FAILED = 1;
export const PROGRESS = 2;

/** The key of a pool worker's workerData that carries its end of the calls port. */
export const CALLS_PORT = '__sharedNdarrayCalls';

/** The key of a pool worker's workerData that carries its SpinWaitData. */
export const SPIN_WAIT = '__sharedNdarraySpinWait';

/**
 * How a pool worker polls for calls after a reply (worker-entry.ts): the pool's `spinWait` in µs,
 * a flag per worker slot (1: running a call or polling), this worker's slot (-1: none free, it
 * never polls), and how many workers may be active at once and leave the caller a CPU.
 */
export interface SpinWaitData { micros: number; states: Int32Array; slot: number; cpus: number }

const isPrimitive = (value: unknown): boolean => (typeof value !== 'object' || value === null) && typeof value !== 'function';

/**
 * Arguments with no object among them hold no shared object: structured clone copies them as
 * they are, so the transport's walk (a Map and a copy per call) is skipped both ways.
 */
export function pack(args: readonly unknown[]): readonly unknown[] {
  // encode gives an array for an array (the escaped form of one that starts with the tag too)
  return args.every(isPrimitive) ? args : encode(args) as unknown[];
}

/** The worker's side of `pack`. */
export function unpack(packed: unknown): unknown {
  return Array.isArray(packed) && packed.every(isPrimitive) ? packed : decode(packed);
}

/**
 * A pool worker's handshake, on its own port once its module and initializer have run:
 * `[STARTED, names of the module's functions]`.
 */
export type StartedMessage = [tag: typeof STARTED, functions: string[]];
export const STARTED = '__sharedNdarrayStarted';

/** The key of the message a Process's thread sends when its function throws (it may post its own messages too). */
export const PROCESS_ERROR = '__sharedNdarrayProcessError';

/** Runs `body` and packs its outcome as a Reply. */
export async function reply(body: () => unknown): Promise<Reply> {
  try {
    return { ok: true, value: encode(await body()) };
  } catch (error) {
    return { ok: false, error: encode(error) };
  }
}

/**
 * The function every pool worker has besides its module's: `(moduleUrl, fn, args)` runs `fn` of
 * one of this package's own compiled worker modules (ops, sieve), loaded on first use (see
 * builtin.ts). It lets one pool, the default pool, serve every built-in operation.
 */
export const RUN_BUILTIN = '__sharedNdarrayRunBuiltin';

/** The module name of a pool that runs built-in modules only (the default pool's). */
export const BUILTIN_ONLY = 'shared-ndarray:built-in';
