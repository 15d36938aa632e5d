/**
 * The interface between proxies and where the objects live. A store carries calls: the embedded
 * store to the manager's thread over shared memory, the Redis store to Redis. Proxies know only
 * this interface; `descriptor()` is what a proxy carries across a thread boundary to find its
 * store again there.
 *
 * Values are copies (v8's structured-clone serialization, as postMessage uses); a proxy inside a
 * value is stored as a reference (`{ [REF]: [typeid, id] }`) and comes back as a live proxy.
 *
 * @internal
 */
import { ArgumentError } from '../errors.js';
import { findShared } from '../transport/transport.js';
import { decodeAt, encodeMessage, toBytes, type Encoded } from './codec.js';
import { REF } from './protocol.js';

export interface StoreDescriptor {
  readonly kind: string;
  readonly key: string;
}

export interface Store {
  /** Unique per manager: which proxies belong to it. */
  readonly key: string;
  /** Calls object `id`'s `method`; blocks the thread until it answers. `fn` names the call in errors. */
  callSync(fn: string, id: string, method: string, args: unknown[]): unknown;
  /** The same call, without blocking the thread. */
  callAsync(fn: string, id: string, method: string, args: unknown[]): Promise<unknown>;
  descriptor(): StoreDescriptor;
}

/** What a proxy holds, under the PROXY symbol. */
export interface ProxyRef {
  readonly store: Store;
  readonly typeid: string;
  readonly id: string;
}

export const PROXY: unique symbol = Symbol.for('shared-ndarray.manager.proxy');

export function refOf(value: unknown): ProxyRef | undefined {
  return typeof value === 'object' && value !== null ? (value as { [PROXY]?: ProxyRef })[PROXY] : undefined;
}

let reviver: ((store: Store, typeid: string, id: string) => unknown) | undefined;

/** proxies.ts sets how a reference becomes a proxy (set here to keep the import graph a tree). */
export function setReviver(f: (store: Store, typeid: string, id: string) => unknown): void {
  reviver = f;
}

/** Replaces this store's proxies by references; refuses other shared objects. */
function toRefs(fn: string, store: Store, value: unknown, seen: Map<object, unknown>, path: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  const ref = refOf(value);
  if (ref !== undefined) {
    if (ref.store.key !== store.key) {
      throw new ArgumentError(`${fn}: invalid argument: ${path} is a proxy of another manager; a manager stores proxies of its own objects only`);
    }
    return { [REF]: [ref.typeid, ref.id] };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    value.forEach((v, i) => { out[i] = toRefs(fn, store, v, seen, `${path}[${i}]`); });
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(toRefs(fn, store, k, seen, `${path} (a Map key)`), toRefs(fn, store, v, seen, `${path}.get(…)`));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(toRefs(fn, store, v, seen, `${path} (a Set member)`));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const key of Object.keys(value)) out[key] = toRefs(fn, store, (value as Record<string, unknown>)[key], seen, `${path}.${key}`);
    return out;
  }
  const shared = findShared(value, path);
  if (shared !== undefined) {
    throw new ArgumentError(`${fn}: invalid argument: ${shared.path} is ${shared.what}, which lives in shared memory and cannot be copied into a manager (a copy would arrive as a stub); store the data (a SharedNDArray's toArray(), a typed array) or a manager's own proxy instead`);
  }
  return value;
}

/** `args` ready for `pack`: proxies of this store as references; a clear error for anything else shared. */
export function prepare(fn: string, store: Store, args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'object' && a !== null && findShared(a, 'value') !== undefined) {
      return args.map((v, j) => toRefs(fn, store, v, new Map(), `argument ${j + 1}`));
    }
  }
  return args;
}

/** A message for the wire, with structured clone's failures (a function, a symbol) as ArgumentErrors. */
export function packMessage(fn: string, message: unknown[]): Encoded {
  try {
    return encodeMessage(message);
  } catch (error) {
    throw cloneError(fn, error);
  }
}

/** A message as bytes (`packMessage`'s, for a store that keeps bytes). */
export function pack(fn: string, message: unknown[]): Uint8Array {
  return toBytes(packMessage(fn, message));
}

/** Structured clone's failure to copy a value (a function, a symbol), as the ArgumentError callers get. */
export function cloneError(fn: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new ArgumentError(`${fn}: invalid argument: it cannot be copied into the manager (${reason}); values are copied by structured clone, so functions, symbols, class instances' private state and shared memory cannot be stored`, { cause: error });
}

const MARK = Buffer.from(REF, 'latin1');

/** References back to proxies of `store`. */
function revive(store: Store, value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  const marker = (value as Record<string, unknown>)[REF];
  if (Array.isArray(marker)) {
    const proxy = reviver!(store, marker[0] as string, marker[1] as string);
    seen.set(value, proxy);
    return proxy;
  }
  seen.set(value, value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(store, value[i], seen);
  } else if (value instanceof Map) {
    for (const [k, v] of [...value]) {
      const k2 = revive(store, k, seen), v2 = revive(store, v, seen);
      if (k2 !== k) value.delete(k);
      value.set(k2, v2);
    }
  } else if (value instanceof Set) {
    for (const v of [...value]) {
      const v2 = revive(store, v, seen);
      if (v2 !== v) {
        value.delete(v);
        value.add(v2);
      }
    }
  } else if (!ArrayBuffer.isView(value)) {
    for (const key of Object.keys(value)) (value as Record<string, unknown>)[key] = revive(store, (value as Record<string, unknown>)[key], seen);
  }
  return value;
}

/** References inside an already decoded value back to live proxies of `store`. */
export function reviveRefs(store: Store, value: unknown): unknown {
  return revive(store, value, new Map());
}

/** The message of bytes[start, end), with references back to live proxies. */
export function unpackAt(store: Store, bytes: Buffer, start: number, end: number): unknown[] {
  const message = decodeAt(bytes, start, end);
  // only an object can hold a reference, and only a message whose bytes name the marker does
  if (message.some((v) => typeof v === 'object' && v !== null)) {
    if (bytes.subarray(start, end).indexOf(MARK) !== -1) return revive(store, message, new Map()) as unknown[];
  }
  return message;
}

/** A message from bytes, and references back to live proxies. */
export function unpack(store: Store, bytes: Uint8Array): unknown[] {
  return unpackAt(store, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
}
