/**
 * How shared objects cross a thread boundary. Structured clone copies a class instance's own
 * fields and drops its private state, so a SharedNDArray posted as-is would arrive as `{}`. Each
 * shared kind registers here how to turn an instance into a plain descriptor (which carries the
 * SharedArrayBuffer itself, so no bytes are copied) and back. `encode`/`decode` walk arguments
 * and results, so a kind is found inside arrays, plain objects, Maps and Sets too.
 */
import { ArgumentError } from '../errors.js';
import { show } from '../check.js';

export interface TransportKind<T = unknown, D = unknown> {
  /** Unique tag carried next to the descriptor, e.g. `'ndarray'`. */
  readonly name: string;
  /** True for the values this kind carries. */
  is(value: unknown): value is T;
  /** A structured-clone-able descriptor that shares, not copies, the value's memory. */
  encode(value: T): D;
  decode(descriptor: D): T;
  /**
   * False for a kind whose values are plain data that structured clone copies faithfully (errors).
   * Default true: the value lives in shared memory, so a copy of it would be a stub.
   */
  readonly shared?: boolean;
  /**
   * True for a kind whose descriptor is an array, sent spliced into the encoded value,
   * `[TAG, name, ...descriptor]`: an array nested in a message costs structured clone one object
   * more each way. `decode` gets the descriptor as a new array.
   * @internal
   */
  readonly spliced?: boolean;
}

/**
 * An encoded value on the wire: `[TAG, kind name, descriptor]`, or `[TAG, kind name,
 * ...descriptor]` for a spliced kind (an array's). An array, not an object keyed by the tag:
 * structured clone copies an object's every key as a string and rebuilds a map for it on the
 * other side, which took a SharedNDArray's message about 0.5 us longer each way (docs/pool.md,
 * the hand-off). A value's own array that starts with the tag travels escaped, as
 * `[TAG, '', its elements]`, so no data is ever taken for a descriptor.
 */
const TAG = '__sharedNdarrayTransport';
const LITERAL = '';

type Encoded = [typeof TAG, string, ...unknown[]];

const kinds = new Map<string, TransportKind>();
/** The same kinds as a list: `kindOf` runs on every encoded object, and a Map's iterator is an allocation. */
const kindList: TransportKind[] = [];

/**
 * Kinds registered by any copy of this module in the thread. A program run from source (tsx with
 * the package's tsconfig paths) loads `src/` for the user's modules and `dist/` for the worker
 * bootstraps: a kind that only the user's copy registered (a Manager proxy, registered by
 * `shared-ndarray/worker`) is found here when the bootstrap's copy decodes. Consulted only for a
 * name this copy does not know, so no kind a copy registered itself is ever replaced.
 */
const ANY_COPY = Symbol.for('shared-ndarray.transport.kinds');
const thread = globalThis as { [ANY_COPY]?: Map<string, TransportKind> };
thread[ANY_COPY] ??= new Map();
const anyCopy = thread[ANY_COPY];

/**
 * @throws {ArgumentError} when another kind of that name is registered
 */
export function registerKind<T, D>(kind: TransportKind<T, D>): void {
  const existing = kinds.get(kind.name);
  if (existing !== undefined && existing !== kind) {
    throw new ArgumentError(`registerKind: invalid argument 'kind': a kind named ${show(kind.name)} is already registered`);
  }
  if (existing === undefined) kindList.push(kind as TransportKind);
  kinds.set(kind.name, kind as TransportKind);
  if (!anyCopy.has(kind.name)) anyCopy.set(kind.name, kind as TransportKind);
}

/**
 * Kinds whose module has not loaded in this thread: the name and how to load it. A worker loads
 * only its bootstrap and the user's module; the module of a Lock, a Queue or a Manager proxy
 * (most of the package's code) loads when a value of that kind first arrives. Encoding needs no
 * such entry: a thread that holds a Lock has loaded the module that registered its kind.
 */
const deferred = new Map<string, () => unknown>();

/**
 * Declares kinds that `load` registers when called, synchronously, the first time a value of one
 * of `names` is decoded in this thread. A name already registered is left as it is.
 * @internal
 */
export function deferKinds(names: readonly string[], load: () => unknown): void {
  for (const name of names) if (!kinds.has(name)) deferred.set(name, load);
}

function kindNamed(name: string): TransportKind | undefined {
  const kind = kinds.get(name) ?? anyCopy.get(name);
  if (kind !== undefined) return kind;
  const load = deferred.get(name);
  if (load === undefined) return undefined;
  deferred.delete(name);
  load();
  return kinds.get(name);
}

function kindOf(value: object): TransportKind | undefined {
  for (let i = 0; i < kindList.length; i++) if (kindList[i]!.is(value)) return kindList[i];
  return undefined;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isEncoded(value: object): value is Encoded {
  return Array.isArray(value) && value[0] === TAG;
}

/**
 * Rebuilds containers around `leaf`, sharing `seen` so cycles and repeated references survive
 * as they would under structured clone. `encoding`: true when encoding, where an array of the value's own
 * that starts with the tag is escaped; decoding calls `leaf` on every such array instead.
 */
function walk(value: unknown, leaf: (v: object) => unknown, seen: Map<object, unknown>, encoding: boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value) && !(!encoding && isEncoded(value))) {
    // filled by push, not `new Array(n)`: structured clone sends a holey array key by key
    const out: unknown[] = [];
    seen.set(value, encoding && isEncoded(value) ? [TAG, LITERAL, out] satisfies Encoded : out);
    for (let i = 0; i < value.length; i++) out.push(walk(value[i], leaf, seen, encoding));
    return seen.get(value);
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(walk(k, leaf, seen, encoding), walk(v, leaf, seen, encoding));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(walk(v, leaf, seen, encoding));
    return out;
  }
  const replaced = leaf(value);
  if (replaced !== value) {
    seen.set(value, replaced);
    return replaced;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    seen.set(value, out);
    for (const key of Object.keys(value)) out[key] = walk(value[key], leaf, seen, encoding);
    return out;
  }
  return value;
}

/**
 * The common shapes of a call's arguments and result (one shared object, or a short list of
 * primitives and distinct shared objects) are encoded and decoded without the walk's Map and
 * copies: about 2 of a hand-off's ~14 us over a raw postMessage. Distinct, because the walk
 * keeps a repeated reference one object on the other side; anything else takes the walk.
 */
const SHORT = 4;

function isPrimitive(value: unknown): boolean {
  return (typeof value !== 'object' || value === null) && typeof value !== 'function';
}

function distinctObjects(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    if (isPrimitive(values[i])) continue;
    for (let j = i + 1; j < values.length; j++) if (values[i] === values[j]) return false;
  }
  return true;
}

function encodeLeaf(value: object, kind: TransportKind): Encoded {
  const descriptor = kind.encode(value);
  if (kind.spliced !== true) return [TAG, kind.name, descriptor];
  const out: Encoded = [TAG, kind.name];
  for (const x of descriptor as unknown[]) out.push(x);
  return out;
}

/** Replaces every registered shared object in `value` by its descriptor. */
export function encode(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (value.length <= SHORT && value[0] !== TAG && distinctObjects(value)) {
      const out: unknown[] = [];
      let i = 0;
      for (; i < value.length; i++) {
        const v: unknown = value[i];
        if (isPrimitive(v)) out.push(v);
        else {
          const kind = kindOf(v as object);
          if (kind === undefined) break;
          out.push(encodeLeaf(v as object, kind));
        }
      }
      if (i === value.length) return out;
    }
  } else if (!(value instanceof Map) && !(value instanceof Set)) {
    const kind = kindOf(value);
    if (kind !== undefined) return encodeLeaf(value, kind);
  }
  return walk(value, (v) => {
    const kind = kindOf(v);
    return kind === undefined ? v : encodeLeaf(v, kind);
  }, new Map(), true);
}

function decodeLeaf(v: Encoded, seen: Map<object, unknown> | undefined): unknown {
  const name = v[1];
  if (v.length < 3 || typeof name !== 'string') throw malformed(v);
  if (name === LITERAL) {
    const d = v[2];
    if (v.length !== 3) throw malformed(v);
    if (!Array.isArray(d)) throw new ArgumentError(`decode: invalid encoded value: an escaped array holds no array, got ${show(v)}`);
    seen ??= new Map();
    const out: unknown[] = [];
    seen.set(v, out);
    for (let i = 0; i < d.length; i++) out.push(walkDecode(d[i], seen));
    return out;
  }
  const kind = kindNamed(name);
  if (kind === undefined) {
    throw new ArgumentError(`decode: a value of kind ${show(name)} arrived, but no such kind is registered in this thread`);
  }
  if (kind.spliced === true) return kind.decode(v.slice(2));
  if (v.length !== 3) throw malformed(v);
  return kind.decode(v[2]);
}

function malformed(v: unknown[]): ArgumentError {
  return new ArgumentError(`decode: invalid encoded value: expected [${show(TAG)}, kind name, descriptor], got ${show(v)}`);
}

function walkDecode(value: unknown, seen: Map<object, unknown>): unknown {
  return walk(value, (v) => (isEncoded(v) ? decodeLeaf(v, seen) : v), seen, false);
}

/** For decode's short path: a primitive, or an encoded shared object (not an escaped array). */
function isShortElement(value: unknown): boolean {
  return isPrimitive(value) || (isEncoded(value as object) && (value as Encoded)[1] !== LITERAL);
}

/** The inverse of `encode`: rebuilds shared objects over the same memory. */
export function decode(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (isEncoded(value)) {
      // only an escaped array can hold references back into itself, so only it needs the map
      if (value[1] !== LITERAL) return decodeLeaf(value, undefined);
    } else if (value.length <= SHORT && distinctObjects(value)) {
      let i = 0;
      while (i < value.length && isShortElement(value[i])) i++;
      if (i === value.length) {
        const out: unknown[] = [];
        for (i = 0; i < value.length; i++) out.push(isPrimitive(value[i]) ? value[i] : decodeLeaf(value[i] as Encoded, undefined));
        return out;
      }
    }
  }
  return walkDecode(value, new Map());
}

/**
 * Where a value that is about to be COPIED (into a queue, a Manager) holds a shared object: a
 * registered shared kind or a SharedArrayBuffer, at any depth. Structured clone would turn such
 * an object into a stub (a SharedNDArray becomes `{ dtype }`, a Lock a plain object over copied
 * words), so callers refuse it. Typed arrays are data: a view of shared memory is copied by value,
 * as pickling a numpy view copies it. Returns a path such as `item.result[2]`, or undefined.
 */
export function findShared(value: unknown, root: string): { path: string; what: string } | undefined {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): { path: string; what: string } | undefined => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return undefined;
    seen.add(v);
    if (v instanceof SharedArrayBuffer) return { path, what: 'a SharedArrayBuffer' };
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return undefined;
    const kind = kindOf(v);
    if (kind !== undefined && kind.shared !== false) return { path, what: show(v) };
    if (v instanceof Map) {
      for (const [k, x] of v) {
        const found = visit(k, `${path} (a Map key)`) ?? visit(x, `${path}.get(${typeof k === 'string' || typeof k === 'number' ? show(k) : '…'})`);
        if (found) return found;
      }
      return undefined;
    }
    if (v instanceof Set) {
      for (const x of v) {
        const found = visit(x, `${path} (a Set member)`);
        if (found) return found;
      }
      return undefined;
    }
    const array = Array.isArray(v);
    for (const key of Object.keys(v)) {
      const found = visit((v as Record<string, unknown>)[key], array ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
      if (found) return found;
    }
    return undefined;
  };
  return visit(value, root);
}
