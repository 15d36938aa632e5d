import type { DType } from '../../src/index.js';

/** Python's sharedctypes typecodes and the dtypes they are here (LP64: 'l' is 8 bytes); 'c' and 'u' are refused. */
export const TYPECODES: Readonly<Record<string, DType>> = {
  b: 'int8', B: 'uint8', h: 'int16', H: 'uint16', i: 'int32', I: 'uint32',
  l: 'int64', L: 'uint64', q: 'int64', Q: 'uint64', f: 'float32', d: 'float64',
};
