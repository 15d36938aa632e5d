/**
 * The reference article's mmap section (Python's mmap documentation example): write hello.txt,
 * map the whole file read-write, read it like a file and like a byte string, change it in place
 * with a same-size slice assignment, and read it again. Prints what Python prints:
 *
 *     Hello Python!
 *     Hello
 *     Hello  world!
 *
 * with two spaces in the last line, as Python 3 does (b'Hello  world!\n'): " world!\n" replaces
 * the 8 bytes "Python!\n" after "Hello ". The article's comment shows one space, which its
 * web page collapsed.
 *
 * hello.txt goes to a fresh temporary directory (the article writes it to the current one).
 * Needs the native addon (built by `npm install`; `npm run build:native` builds it again).
 *
 * Run: npx tsx examples/mmap-hello.ts
 */
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MMap } from 'shared-ndarray';

const dir = mkdtempSync(join(tmpdir(), 'mmap-hello-'));
const hello = join(dir, 'hello.txt');

// write a simple example file
writeFileSync(hello, 'Hello Python!\n');

const f = openSync(hello, 'r+'); // open("hello.txt", "r+b")
try {
  // memory-map the file, size 0 means whole file
  const mm = new MMap(f, 0);
  // read content via standard file methods (print strips the "\n" the line keeps)
  console.log(mm.readline().toString().trimEnd()); // prints "Hello Python!"
  // read content via slice notation
  console.log(mm.slice(0, 5).toString()); // prints "Hello"
  // update content using slice notation; note that new content must have same size
  mm.assign(6, undefined, ' world!\n'); // mm[6:] = " world!\n"
  // ... and read again using standard file methods
  mm.seek(0);
  console.log(mm.readline().toString().trimEnd()); // prints "Hello  world!"
  // close the map
  mm.close();
} finally {
  closeSync(f);
  rmSync(dir, { recursive: true, force: true });
}
