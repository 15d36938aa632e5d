/**
 * Requests and replies as bytes. v8's serializer (structured clone's format) copies anything
 * postMessage can, but `v8.serialize` costs tens of microseconds a call (measured: ~18x JSON's
 * cost for a small request), more than the rest of a call. So a message that JSON carries exactly
 * (strings, finite numbers other than -0, booleans, null, arrays and plain objects of those) goes
 * as JSON, and anything else (undefined inside a value, bigint, Map, typed arrays, NaN, Date...)
 * as v8's format. The first byte says which.
 *
 * @internal
 */
import { deserialize, serialize } from 'node:v8';

const JSON_FORMAT = 1;
const V8_FORMAT = 2;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

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
 * `message` as bytes. Top-level undefined items of the message array (an omitted argument, a
 * method that returns nothing) are carried in JSON too, as a list of their positions.
 * @throws whatever v8's serializer throws for a value structured clone cannot copy
 */
export function encodeMessage(message: unknown[]): Uint8Array {
  const holes: number[] = [];
  let exact = true;
  for (let i = 0; i < message.length && exact; i++) {
    if (message[i] === undefined) holes.push(i);
    else exact = jsonExact(message[i], 0);
  }
  if (exact) {
    const text = JSON.stringify(holes.length === 0 ? [0, ...message] : [holes, ...message]);
    const bytes = new Uint8Array(text.length * 3 + 1);
    bytes[0] = JSON_FORMAT;
    return bytes.subarray(0, encoder.encodeInto(text, bytes.subarray(1)).written + 1);
  }
  const body = serialize(message);
  const bytes = new Uint8Array(body.length + 1);
  bytes[0] = V8_FORMAT;
  bytes.set(body, 1);
  return bytes;
}

export function decodeMessage(bytes: Uint8Array): unknown[] {
  const body = bytes.subarray(1);
  if (bytes[0] === V8_FORMAT) return deserialize(body) as unknown[];
  const [holes, ...message] = JSON.parse(decoder.decode(body)) as [number[] | 0, ...unknown[]];
  if (holes !== 0) for (const i of holes) message[i] = undefined;
  return message;
}
