/**
 * Requests and replies for the wire. v8's serializer (structured clone's format) copies anything
 * postMessage can, but `v8.serialize` costs tens of microseconds a call (measured: ~18x JSON's
 * cost for a small request), more than the rest of a call. So a message that JSON carries exactly
 * (strings, finite numbers other than -0, booleans, null, arrays and plain objects of those) goes
 * as JSON text, and anything else (undefined inside a value, bigint, Map, typed arrays, NaN inside
 * a value, Date...) as v8's format. The text is written straight into the slot's shared memory and
 * read from there, so a call allocates no buffers. v8's format always starts with its version tag
 * (0xFF), a byte UTF-8 text never holds: that byte tells the two apart.
 *
 * Top-level items JSON would change but proxies send all the time (an omitted argument, a method
 * that returns nothing, a timeout of Infinity) stay in JSON: the text starts with their positions
 * and what each was (`1u3i[...]`: item 1 is undefined, item 3 Infinity).
 *
 * @internal
 */
import { createRequire } from 'node:module';

/** node:v8 costs a few ms of CPU to load: loaded when first needed, not with the package. */
let v8: typeof import('node:v8') | undefined;
const lazyV8 = (): typeof import('node:v8') => (v8 ??= createRequire(import.meta.url)('node:v8') as typeof import('node:v8'));

/** A message ready for the wire: JSON text (with its special items in front) or v8's format. */
export type Encoded = string | Uint8Array;

const V8_TAG = 0xff;
const OPEN = 0x5b; // '['

/** The top-level values JSON would change, by the letter that marks them. */
const SPECIALS: Readonly<Record<string, unknown>> = { u: undefined, i: Infinity, n: -Infinity, x: NaN, z: -0 };

/** The letter for a top-level value JSON would change but the prefix carries; '' for none. */
function special(value: unknown): string {
  if (value === undefined) return 'u';
  if (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) return '';
  return value === Infinity ? 'i' : value === -Infinity ? 'n' : Number.isNaN(value) ? 'x' : 'z';
}

/** Whether JSON.parse(JSON.stringify(value)) gives back the same value. */
function jsonExact(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string': case 'boolean': return true;
    case 'number': return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonExact(value[i], depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!jsonExact((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default: return false;
  }
}

/**
 * `message` for the wire.
 * @throws whatever v8's serializer throws for a value structured clone cannot copy
 */
export function encodeMessage(message: readonly unknown[]): Encoded {
  let prefix = '';
  for (let i = 0; i < message.length; i++) {
    const item = message[i];
    const letter = special(item);
    if (letter !== '') prefix += `${i}${letter}`;
    else if (!jsonExact(item, 0)) return lazyV8().serialize(message);
  }
  return prefix + JSON.stringify(message);
}

/** The message of a JSON text from `encodeMessage`. */
export function decodeText(text: string): unknown[] {
  if (text.charCodeAt(0) === OPEN) return JSON.parse(text) as unknown[];
  const end = text.indexOf('[');
  const message = JSON.parse(text.slice(end)) as unknown[];
  for (let i = 0, at = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) at = at * 10 + c - 48;
    else {
      message[at] = SPECIALS[text[i]!];
      at = 0;
    }
  }
  return message;
}

/** An encoded message as bytes (for one that goes in chunks). */
export function toBytes(encoded: Encoded): Uint8Array {
  return typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
}

/** The message of bytes[start, end) (`toBytes`' output, wherever it was copied to). */
export function decodeAt(bytes: Buffer, start: number, end: number): unknown[] {
  if (bytes[start] === V8_TAG) return lazyV8().deserialize(bytes.subarray(start, end)) as unknown[];
  return decodeText(bytes.toString('utf8', start, end));
}

export function decodeMessage(bytes: Uint8Array): unknown[] {
  return decodeAt(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
}
