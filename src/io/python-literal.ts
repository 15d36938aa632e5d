/**
 * Parses the Python literals a `.npy` header is made of: dicts, tuples, lists, strings, integers
 * (with Python 2's `L` suffix, which old files carry), True, False and None. numpy reads headers
 * with `ast.literal_eval`; this accepts the same subset and nothing executable.
 */

export type PythonValue = string | number | boolean | null | PythonValue[] | Map<string | number, PythonValue>;

/** The most nesting accepted: a header needs two levels (a dict holding a tuple), structured dtypes a few more. */
const MAX_DEPTH = 32;

export function parsePythonLiteral(text: string): PythonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at character ${i} of ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)}`);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (char: string): void => {
    skipSpace();
    if (text[i] !== char) fail(`expected '${char}'`);
    i++;
  };

  const string = (): string => {
    const quote = text[i++]!;
    let out = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\') {
        const next = text[i + 1];
        if (next === undefined) break;
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        i += 2;
      } else {
        out += text[i++];
      }
    }
    if (text[i] !== quote) fail('unterminated string');
    i++;
    return out;
  };

  /** Items up to `close`, allowing a trailing comma; a one-item tuple needs its comma. */
  const items = (close: string, depth: number): PythonValue[] => {
    const out: PythonValue[] = [];
    for (;;) {
      skipSpace();
      if (text[i] === close) {
        i++;
        return out;
      }
      out.push(value(depth + 1));
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail(`expected ',' or '${close}'`);
    }
  };

  const value = (depth: number): PythonValue => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    skipSpace();
    const c = text[i];
    if (c === "'" || c === '"') return string();
    if (c === '(') {
      i++;
      const start = i;
      const list = items(')', depth);
      // `(5)` is just 5 in Python, not a tuple: only a comma makes one.
      if (list.length === 1 && !text.slice(start, i - 1).trimEnd().endsWith(',')) return list[0]!;
      return list;
    }
    if (c === '[') {
      i++;
      return items(']', depth);
    }
    if (c === '{') {
      i++;
      const map = new Map<string | number, PythonValue>();
      for (;;) {
        skipSpace();
        if (text[i] === '}') {
          i++;
          return map;
        }
        const key = value(depth + 1);
        if (typeof key !== 'string' && typeof key !== 'number') fail('a dict key must be a string or an integer');
        if (map.has(key as string | number)) fail(`duplicate key ${JSON.stringify(key)}`);
        expect(':');
        map.set(key as string | number, value(depth + 1));
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail("expected ',' or '}'");
      }
    }
    const word = /^(True|False|None|-?\d+L?)(?![\w.])/.exec(text.slice(i));
    if (word === null) return fail('expected a value');
    i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    const n = Number(word[0].replace(/L$/, ''));
    if (!Number.isSafeInteger(n)) fail(`integer ${word[0]} is too large`);
    return n;
  };

  const result = value(0);
  skipSpace();
  if (i !== text.length) fail('unexpected text after the value');
  return result;
}
