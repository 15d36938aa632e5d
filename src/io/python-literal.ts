/**
 * Parses the Python literals a `.npy` header is made of, as numpy reads it: `ast.literal_eval`
 * over Python 3's tokenizer, never evaluating anything. Dicts, tuples, lists, strings (with every
 * escape Python has, the `u` and `r` prefixes, triple quotes and implicit concatenation), integers
 * (decimal, hex, octal, binary, with `_` separators and a sign), True, False and None; comments,
 * line continuations and blank lines. What Python refuses is refused here too: leading zeros
 * (`03`), a byte-order mark, a raw newline in a string, `3L`, an indented first or last line
 * (unless `legacy`, see ParseOptions). Floats, complex numbers,
 * bytes, sets and `\N{...}` escapes are refused as well: no `.npy` header holds one where numpy
 * would accept it (except `\N{...}` inside a string, which no writer produces).
 */

/** A Python tuple; Python lists are plain arrays, dicts are Maps. */
export class PythonTuple {
  constructor(readonly items: readonly PythonValue[]) {}
}

/** Integers are numbers when they are safe integers, else bigints (Python's ints have no limit). */
export type PythonValue = string | number | bigint | boolean | null | PythonTuple | PythonValue[] | Map<string | number, PythonValue>;

/** The most nesting accepted: a header needs two levels (a dict holding a tuple), structured dtypes a few more. */
const MAX_DEPTH = 32;

export interface ParseOptions {
  /**
   * Read as numpy reads format 1.0 and 2.0 headers, which may come from Python 2: through its
   * `_filter_header` (tokenize, then untokenize), which drops an `L` after an integer (Python 2's
   * long) and the indentation of a blank last line.
   */
  legacy?: boolean;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};
const INTEGER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0(?:_?0)*)/;
/**
 * What may be a float or imaginary literal: it is one when it is longer than the integer at the
 * same place and has a point, an exponent or a j (`07.5` and `1e3` are floats, `03` is not).
 */
const FLOAT = /^(?:[0-9](?:_?[0-9])*)?(?:\.(?:[0-9](?:_?[0-9])*)?)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?[jJ]?/;
/**
 * A character of a Python name. Made on first use: V8 checks a regular expression literal when it
 * parses the module, and this one's Unicode classes cost ~6M instructions (5% of importing the
 * whole package) in every process that imports it, whether or not it reads an .npy header.
 */
let nameChar: RegExp | undefined;
const NAME_CHAR = {
  test(c: string): boolean {
    // biome-ignore lint/complexity/useRegexLiterals: a literal is checked at parse time, even inside a function never called
    nameChar ??= new RegExp('[\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}]', 'u');
    return nameChar.test(c);
  },
};

export function parsePythonLiteral(source: string, options: ParseOptions = {}): PythonValue {
  // Python reads \r\n and \r as \n
  const text = source.replace(/\r\n?/g, '\n');
  let i = 0;
  /** Open brackets around the position: newlines are only whitespace inside them. */
  let open = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at character ${i} of ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)}`);
  };
  if (text.includes('\0')) {
    i = text.indexOf('\0');
    fail('a NUL character');
  }

  /** Spaces, comments and line continuations; newlines too inside brackets. */
  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\f' || (c === '\n' && open > 0)) i++;
      else if (c === '\\' && text[i + 1] === '\n') i += 2;
      else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
      else return;
    }
  };
  const expect = (char: string): void => {
    skipSpace();
    if (text[i] !== char) fail(`expected '${char}'`);
    i++;
  };

  /** The escape sequence at `i` (a backslash) in a string that is not raw. */
  const readEscape = (): string => {
    const next = text[i + 1];
    if (next === undefined) return fail('an unterminated string');
    if (Object.hasOwn(SIMPLE_ESCAPES, next)) {
      i += 2;
      return SIMPLE_ESCAPES[next]!;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
    if (octal) {
      i += 1 + octal[0].length;
      return String.fromCodePoint(parseInt(octal[0], 8));
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const digits = text.slice(i + 2, i + 2 + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length < hexLength) fail(`a truncated \\${next} escape`);
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) fail(`an escape \\${next}${digits} beyond U+10FFFF`);
      i += 2 + hexLength;
      return String.fromCodePoint(code);
    }
    if (next === 'N') return fail('a \\N{...} escape (named characters are not supported)');
    // Python keeps the backslash of an unknown escape: '\<' is two characters
    i += 2;
    return `\\${next}`;
  };

  /** One string literal, prefix and quotes included. */
  const stringLiteral = (): string => {
    const prefix = /^[a-zA-Z]{0,2}/.exec(text.slice(i))![0];
    const raw = /r/i.test(prefix);
    if (!/^(?:|[uU]|[rR])$/.test(prefix)) {
      return fail(/b/i.test(prefix) ? 'a bytes literal (only str is supported)' : `a string prefix '${prefix}' that is not a literal`);
    }
    i += prefix.length;
    const q = text[i]!;
    const quote = text.startsWith(q.repeat(3), i) ? q.repeat(3) : q;
    i += quote.length;
    let out = '';
    for (;;) {
      if (i >= text.length) return fail('an unterminated string');
      const c = text[i]!;
      if (text.startsWith(quote, i)) {
        i += quote.length;
        return out;
      }
      if (c === '\n' && quote.length === 1) return fail('an unterminated string (a newline inside quotes)');
      if (c === '\\') {
        if (raw) {
          // a raw string keeps the backslash, and the character after it cannot end the string
          if (i + 1 >= text.length) return fail('an unterminated string');
          out += c + text[i + 1]!;
          i += 2;
        } else {
          out += readEscape();
        }
      } else {
        out += c;
        i++;
      }
    }
  };

  const startsString = (): boolean => /^(?:[a-zA-Z]{1,2})?['"]/.test(text.slice(i, i + 3));

  /** Adjacent string literals concatenate, as in Python. */
  const string = (): string => {
    let out = stringLiteral();
    for (;;) {
      const mark = i;
      skipSpace();
      if (startsString()) out += stringLiteral();
      else {
        i = mark;
        return out;
      }
    }
  };

  /** Items up to `close`, allowing a trailing comma; returns them and whether any comma was seen. */
  const items = (close: string, depth: number): [PythonValue[], boolean] => {
    const out: PythonValue[] = [];
    let comma = false;
    for (;;) {
      skipSpace();
      if (text[i] === close) {
        i++;
        open--;
        return [out, comma];
      }
      out.push(value(depth + 1));
      skipSpace();
      if (text[i] === ',') {
        i++;
        comma = true;
      } else if (text[i] !== close) {
        fail(`expected ',' or '${close}'`);
      }
    }
  };

  const integer = (): number | bigint => {
    const sign = text[i] === '-' ? -1 : 1;
    if (text[i] === '-' || text[i] === '+') {
      i++;
      skipSpace();
      // literal_eval takes one sign on a number, nothing else
      if (!/[0-9.]/.test(text[i] ?? '')) fail('a sign that is not on a number');
    }
    const start = i;
    const number = INTEGER.exec(text.slice(i))?.[0];
    const float = FLOAT.exec(text.slice(i))?.[0];
    if (float !== undefined && float.length > (number?.length ?? 0) && /[.eEjJ]/.test(float)) {
      i += float.length;
      return fail(`a float or complex number ${float} (only integers are supported)`);
    }
    if (number === undefined) {
      const c = text.codePointAt(i);
      const found = c === undefined ? 'the end' : c > 0x20 && c < 0x7f ? JSON.stringify(String.fromCodePoint(c)) : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      return fail(`expected a value, found ${found}`);
    }
    i += number.length;
    if (/[0-9]/.test(text[i] ?? '')) {
      const digits = /^[0-9_]*/.exec(text.slice(start))![0];
      i = start;
      fail(`leading zeros in a decimal integer (${digits}) are not permitted`);
    }
    if (options.legacy) {
      // numpy's _filter_header drops a NAME token 'L' right after a NUMBER token
      const mark = i;
      skipSpace();
      if (text[i] === 'L' && !NAME_CHAR.test(text[i + 1] ?? '')) i++;
      else i = mark;
    }
    if (NAME_CHAR.test(text[i] ?? '')) fail(`an invalid number literal ${JSON.stringify(text.slice(start, i + 1))}`);
    const exact = BigInt(sign) * BigInt(number.replace(/_/g, '').toLowerCase());
    return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
  };

  const value = (depth: number): PythonValue => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    skipSpace();
    const c = text[i];
    if (startsString()) return string();
    if (c === '(') {
      i++;
      open++;
      const [list, comma] = items(')', depth);
      // `(5)` is just 5 in Python, not a tuple: only a comma (or nothing at all) makes one
      if (list.length === 1 && !comma) return list[0]!;
      return new PythonTuple(list);
    }
    if (c === '[') {
      i++;
      open++;
      return items(']', depth)[0];
    }
    if (c === '{') {
      i++;
      open++;
      const map = new Map<string | number, PythonValue>();
      for (;;) {
        skipSpace();
        if (text[i] === '}') {
          i++;
          open--;
          return map;
        }
        const key = value(depth + 1);
        if (typeof key !== 'string' && typeof key !== 'number') fail('a dict key that is not a string or an integer');
        expect(':');
        // a repeated key keeps its last value, as in Python
        map.set(key as string | number, value(depth + 1));
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail("expected ',' or '}'");
      }
    }
    const word = /^(True|False|None)/.exec(text.slice(i));
    if (word && !NAME_CHAR.test(text[i + word[0].length] ?? '')) {
      i += word[0].length;
      return word[0] === 'True' ? true : word[0] === 'False' ? false : null;
    }
    return integer();
  };

  // literal_eval strips leading spaces and tabs; blank and comment lines may come first, but the
  // first line with code cannot be indented (IndentationError), except past a form feed
  i = /^[ \t]*/.exec(text)![0].length;
  for (;;) {
    const line = /^[ \t\f]*(?:#[^\n]*)?(?:\n|$)/.exec(text.slice(i));
    if (line === null || i >= text.length) break;
    i += line[0].length;
  }
  const indent = /^[ \t\f]*/.exec(text.slice(i))![0];
  if (/[ \t]/.test(indent.slice(indent.lastIndexOf('\f') + 1))) fail('an indented first line (unexpected indent)');
  const result = value(0);
  open = 1; // trailing newlines and comments are fine
  skipSpace();
  if (i !== text.length) fail('unexpected text after the value');
  // Python's tokenizer takes a last line of only spaces, without a newline, for an indented one
  if (!options.legacy && /\n[ \t]+$/.test(text)) {
    i = text.lastIndexOf('\n') + 1;
    fail('an indented last line (unexpected indent)');
  }
  return result;
}

/** Python's repr of a parsed value, for messages: `(3,)`, `[0]`, `'<i4'`, `True`. */
export function pythonRepr(value: PythonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = [...value].map((ch) => {
      if (ch === '\\') return '\\\\';
      if (ch === quote) return `\\${quote}`;
      if (ch === '\n') return '\\n';
      if (ch === '\r') return '\\r';
      if (ch === '\t') return '\\t';
      const code = ch.codePointAt(0)!;
      if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
      return ch;
    }).join('');
    return `${quote}${body}${quote}`;
  }
  if (value instanceof PythonTuple) {
    return value.items.length === 1 ? `(${pythonRepr(value.items[0])},)` : `(${value.items.map(pythonRepr).join(', ')})`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${[...value].map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}
