/**
 * The `descr` of a `.npy` header: the dtypes numpy's `np.dtype()` accepts there (type letters with
 * sizes and byte orders, type names, datetimes with units, comma strings, lists of fields), read
 * as numpy reads them, and which of them a SharedNDArray holds. A spelling numpy refuses is a
 * malformed file (NpyFormatError); one numpy reads but a typed array cannot hold is a DTypeError.
 */
import { DTypeError, NpyFormatError } from '../errors.js';
import { show } from '../check.js';
import { DTYPES, resolveDType, type DType } from '../ndarray/dtype.js';
import { PythonTuple, parsePythonLiteral, pythonRepr, type PythonValue } from './python-literal.js';

/** What a numpy dtype string names: a dtype we hold, or what numpy has that we cannot hold. */
type Named = DType | 'float16' | 'longdouble' | 'complex' | 'object' | 'string' | 'datetime' | 'structured';

/** numpy's one-letter type codes: `np.dtype('h')`. */
const CODES: Readonly<Record<string, Named>> = {
  '?': 'bool', b: 'int8', B: 'uint8', h: 'int16', H: 'uint16', i: 'int32', I: 'uint32', l: 'int64', L: 'uint64',
  q: 'int64', Q: 'uint64', p: 'int64', P: 'uint64', e: 'float16', f: 'float32', d: 'float64', g: 'longdouble',
  F: 'complex', D: 'complex', G: 'complex', O: 'object', S: 'string', a: 'string', U: 'string', V: 'string', c: 'string',
  M: 'datetime', m: 'datetime',
};
/** numpy's kind letters with a size in bytes: `np.dtype('i4')`. S, a, U and V take any length. */
const SIZED: Readonly<Record<string, Readonly<Record<string, Named>>>> = {
  b: { 1: 'bool' }, i: { 1: 'int8', 2: 'int16', 4: 'int32', 8: 'int64' }, u: { 1: 'uint8', 2: 'uint16', 4: 'uint32', 8: 'uint64' },
  f: { 2: 'float16', 4: 'float32', 8: 'float64', 16: 'longdouble' }, c: { 8: 'complex', 16: 'complex', 32: 'complex' },
  O: { 4: 'object', 8: 'object' }, M: { 8: 'datetime' }, m: { 8: 'datetime' },
};
/** numpy's type names (`np.sctypeDict`), which take no byte-order prefix: `np.dtype('int32')`. */
const NAMES: Readonly<Record<string, Named>> = {
  bool: 'bool', bool_: 'bool', bool8: 'bool', int8: 'int8', byte: 'int8', uint8: 'uint8', ubyte: 'uint8',
  int16: 'int16', short: 'int16', uint16: 'uint16', ushort: 'uint16', int32: 'int32', intc: 'int32',
  uint32: 'uint32', uintc: 'uint32', int64: 'int64', int: 'int64', int_: 'int64', int0: 'int64', long: 'int64',
  longlong: 'int64', intp: 'int64', uint64: 'uint64', uint: 'uint64', uint0: 'uint64', ulong: 'uint64',
  ulonglong: 'uint64', uintp: 'uint64', float32: 'float32', single: 'float32', float64: 'float64', float: 'float64',
  double: 'float64', float_: 'float64', float16: 'float16', half: 'float16', float128: 'longdouble',
  longdouble: 'longdouble', longfloat: 'longdouble', complex64: 'complex', complex128: 'complex', complex256: 'complex',
  complex: 'complex', complex_: 'complex', csingle: 'complex', singlecomplex: 'complex', cdouble: 'complex',
  cfloat: 'complex', clongdouble: 'complex', clongfloat: 'complex', longcomplex: 'complex', object: 'object',
  object_: 'object', object0: 'object', str: 'string', str_: 'string', str0: 'string', unicode: 'string',
  unicode_: 'string', bytes: 'string', bytes_: 'string', bytes0: 'string', string_: 'string', void: 'string',
  void0: 'string', datetime64: 'datetime', timedelta64: 'datetime',
};
const DATETIME_UNIT = /^\[\d*(?:Y|M|W|D|h|m|s|ms|us|μs|ns|ps|fs|as|generic)(?:\/\d+)?\]$/;
/** numpy reads the size after a type letter with C's strtol: leading whitespace and a plus sign pass. */
const SIZE = /^[ \t\n\v\f\r]*\+?[0-9]+$/;

type Parsed = { named: Named; bigEndian: boolean };

/** A dtype string without fields: a type name, or a byte order, a type letter and a size. */
function simpleDescr(descr: string): Parsed | undefined {
  if (Object.hasOwn(NAMES, descr)) return { named: NAMES[descr]!, bigEndian: false };
  // the datetime names alone take a byte order and a unit: '<datetime64[ns]'
  const datetime = /^([<>=|]?)(?:datetime64|timedelta64)(\[.*\])?$/.exec(descr);
  if (datetime) return datetime[2] === undefined || DATETIME_UNIT.test(datetime[2]) ? { named: 'datetime', bigEndian: datetime[1] === '>' } : undefined;
  const parts = /^([<>=|]?)([a-zA-Z?])([^[]*)(\[.*\])?$/.exec(descr);
  if (!parts) return undefined;
  const [, order, code, size, unit] = parts as unknown as [string, string, string, string, string | undefined];
  let named: Named | undefined;
  if (size === '') named = Object.hasOwn(CODES, code) ? CODES[code] : undefined;
  else if (!SIZE.test(size)) named = undefined;
  else if ('SaUV'.includes(code)) named = 'string';
  else named = SIZED[code]?.[Number(size)];
  // a unit only after M8 or m8
  if (unit !== undefined && (named !== 'datetime' || size === '' || !DATETIME_UNIT.test(unit))) return undefined;
  return named === undefined ? undefined : { named, bigEndian: order === '>' };
}

/** numpy's `_check_for_commastring`: digits or `()` first, or a comma outside square brackets. */
function isCommaString(descr: string): boolean {
  if (/^[<>|=]?(?:[0-9]|\(\))/.test(descr)) return true;
  let brackets = 0;
  for (const c of descr) {
    if (c === '[') brackets++;
    else if (c === ']') brackets--;
    else if (c === ',' && brackets === 0) return true;
  }
  return false;
}

/** One item of a comma string, as numpy's `_internal._commastring` reads it. */
const COMMA_ITEM = /([<>|=]?)( *[(]?[ ,0-9]*[)]? *)([<>|=]?)([A-Za-z0-9.?]*(?:\[[a-zA-Z0-9,.]+\])?)/y;

/** A subarray shape in a field: a nonnegative integer or a tuple of them. */
function isSubarrayShape(shape: PythonValue | undefined): boolean {
  const dims = shape instanceof PythonTuple ? shape.items : [shape];
  return dims.every((d) => typeof d === 'number' && d >= 0);
}

/** numpy's comma strings: 'i4,f8' is a structured dtype, 'i4,' just i4, '(2,)i4' a subarray. */
function commaDescr(descr: string): Parsed | undefined {
  const items: Array<{ dtype: string; repeats: string }> = [];
  let at = 0;
  while (at < descr.length) {
    COMMA_ITEM.lastIndex = at;
    const [, order1, repeats, order2, dtype] = COMMA_ITEM.exec(descr) as unknown as [string, string, string, string, string];
    at = COMMA_ITEM.lastIndex;
    if (at < descr.length) {
      if (/^\s+$/.test(descr.slice(at))) {
        at = descr.length;
      } else {
        const separator = /^\s*,\s*/.exec(descr.slice(at));
        if (separator === null) return undefined;
        at += separator[0].length;
      }
    }
    if (order1 !== '' && order2 !== '' && order1 !== order2) return undefined;
    const order = order2 === '' ? order1 : order2;
    items.push({ dtype: (order === '>' ? '>' : '') + dtype, repeats });
  }
  const parsed = items.map(({ dtype, repeats }) => {
    const item = simpleDescr(dtype);
    if (item === undefined || repeats === '') return item;
    try {
      return isSubarrayShape(parsePythonLiteral(repeats)) ? { named: 'structured' as const, bigEndian: false } : undefined;
    } catch {
      return undefined;
    }
  });
  if (parsed.some((item) => item === undefined) || parsed.length === 0) return undefined;
  if (parsed.length > 1) return { named: 'structured', bigEndian: false };
  // one item: itself ('i4,'), or a subarray, which numpy refuses as the dtype of a whole file
  return parsed[0]!.named === 'structured' ? undefined : parsed[0];
}

/**
 * What numpy's `np.dtype(descr)` makes of a header's dtype string, and whether it is big-endian;
 * undefined when numpy refuses it. `uint8c` and ctypes names such as `c_double`, which `dtype()`
 * accepts, are not numpy's.
 */
function numpyDescr(descr: string): Parsed | undefined {
  return isCommaString(descr) ? commaDescr(descr) : simpleDescr(descr);
}

/** numpy's `descr_to_dtype` over a list of fields `(name, format[, shape])`. */
function isFieldList(fields: readonly PythonValue[]): boolean {
  const names = new Set<string>();
  return fields.every((field) => {
    if (!(field instanceof PythonTuple) || field.items.length < 2 || field.items.length > 3) return false;
    const [label, format, shape] = field.items;
    // a name, or (title, name)
    const name = label instanceof PythonTuple && label.items.length === 2 ? label.items[1] : label;
    if (typeof name !== 'string') return false;
    if (name !== '') {
      if (names.has(name)) return false;
      names.add(name);
    }
    return isFieldFormat(format) && (shape === undefined || isSubarrayShape(shape));
  });
}

function isFieldFormat(format: PythonValue | undefined): boolean {
  if (typeof format === 'string') return numpyDescr(format) !== undefined;
  if (Array.isArray(format)) return isFieldList(format);
  return format instanceof PythonTuple && format.items.length === 2 && isFieldFormat(format.items[0]) && isSubarrayShape(format.items[1]);
}

/** Why a dtype numpy has is not one a SharedNDArray holds, and what to do instead. */
const CANNOT_HOLD: Readonly<Record<Exclude<Named, DType>, [string, string]>> = {
  float16: ['float16', "JavaScript has no float16 typed array; convert it with numpy first, e.g. a.astype('<f4')"],
  longdouble: ['extended precision', "JavaScript has no such typed array; convert it with numpy first, e.g. a.astype('<f8')"],
  complex: ['complex', 'save the real and imaginary parts as two float arrays'],
  object: ['Python objects, stored pickled', 'object arrays are not supported'],
  string: ['strings or raw bytes', 'only numeric and bool dtypes are supported'],
  datetime: ['datetime64/timedelta64', "convert it with numpy first, e.g. a.astype('<i8')"],
  structured: ['a structured or subarray dtype', 'save each field as its own array'],
};

/**
 * The dtype a header's `descr` names. Refused as numpy refuses them (NpyFormatError: not a
 * dtype numpy reads); refused with DTypeError when numpy reads them but a typed array cannot hold
 * them (big-endian, object, structured, float16, complex, strings, datetimes).
 */
export function dtypeOfDescr(fn: string, where: string, descr: PythonValue | undefined): { dtype: DType; descr: string } {
  if (Array.isArray(descr) && isFieldList(descr)) {
    const names = descr.map((field) => pythonRepr((field as PythonTuple).items[0]));
    throw new DTypeError(`${fn}: ${where} holds a structured dtype (fields ${names.join(', ')}), which has no typed array: ${CANNOT_HOLD.structured[1]}`);
  }
  if (typeof descr !== 'string') {
    throw new NpyFormatError(`${fn}: ${where} has a malformed header: 'descr' should be a dtype string or a list of fields, got ${pythonRepr(descr)}`);
  }
  const parsed = numpyDescr(descr);
  if (parsed === undefined) {
    let aside = '';
    try {
      resolveDType(descr);
      aside = ` (dtype() accepts ${show(descr)} as a name, but numpy has no such dtype)`;
    } catch {
      // not a name of ours either
    }
    throw new NpyFormatError(`${fn}: ${where} has a malformed header: 'descr' is ${show(descr)}, which is not a numpy dtype${aside}`);
  }
  const cannot = (what: string, hint: string): DTypeError =>
    new DTypeError(`${fn}: ${where} has dtype ${show(descr)} (${what}), which a SharedNDArray cannot hold: ${hint}`);
  const { named, bigEndian } = parsed;
  if (!Object.hasOwn(DTYPES, named)) throw cannot(...CANNOT_HOLD[named as Exclude<Named, DType>]);
  const dtype = named as DType;
  if (bigEndian && DTYPES[dtype].itemsize > 1) {
    throw cannot('big-endian', "typed arrays are little-endian on this host; convert it with numpy first, e.g. a.astype(a.dtype.newbyteorder('<'))");
  }
  return { dtype, descr };
}
