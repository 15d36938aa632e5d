/**
 * Python's indexing of ctypes arrays, `a[i]` and `a[i] = v`: negative indices count from the
 * end, anything outside the array is an IndexError (a JS array would give undefined). The
 * bracket syntax comes from a Proxy that turns integer keys into `get`/`set` calls.
 */
import { IndexError } from '../errors.js';
import { show } from '../check.js';

/** The element index `i` names in an array of `length`, after the checks Python makes. */
export function checkIndex(i: unknown, length: number, fn: string): number {
  if (typeof i !== 'number' || !Number.isInteger(i)) throw new IndexError(`${fn}: index must be an integer, got ${show(i)}`);
  const index = i < 0 ? i + length : i;
  if (index < 0 || index >= length) throw new IndexError(`${fn}: index ${i} is out of range for length ${length}`);
  return index;
}

interface Indexed {
  readonly length: number;
  get(i: number): unknown;
  set(i: number, value: never): void;
}

/**
 * True for keys that are numbers written canonically ('0', '-1', '1.5', but not '01' or 'x'),
 * as a typed array reads them: so `a[1.5]` reaches `get` and fails there instead of being an
 * ordinary missing property.
 */
function isNumericKey(key: string | symbol): key is string {
  if (typeof key !== 'string') return false;
  const c = key.charCodeAt(0);
  if (!(c === 45 || (c >= 48 && c <= 57))) return false; // '-' or a digit: names skip the Number() parse
  return key === '-0' || String(Number(key)) === key;
}

const HANDLER: ProxyHandler<Indexed> = {
  get: (target, key, receiver) => (isNumericKey(key) ? target.get(Number(key)) : Reflect.get(target, key, receiver)),
  set: (target, key, value, receiver) => {
    if (!isNumericKey(key)) return Reflect.set(target, key, value, receiver);
    target.set(Number(key), value as never);
    return true;
  },
  has: (target, key) => {
    if (!isNumericKey(key)) return Reflect.has(target, key);
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < target.length;
  },
};

/**
 * `target` behind the index Proxy. The class's methods then run with the proxy as `this`, so the
 * classes wrapped here keep their state in ordinary fields, not `#private` ones (which a proxy
 * does not have).
 */
export function indexable<T extends Indexed>(target: T): T {
  return new Proxy(target, HANDLER as ProxyHandler<T>);
}
