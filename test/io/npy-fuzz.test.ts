import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { params } from '../support/assert.js';
import { scratchDir } from '../support/files.js';
import { BufferError, SharedNDArray, SharedNDArrayError, load, openMemmap } from '../../src/index.js';

/**
 * A bounded fuzz test of the `.npy` readers: the files numpy wrote for fixtures/npy, with their
 * header bytes, header length, version and length mutated, inserted into, cut and truncated. Every
 * outcome of `load` and of `openMemmap` must be an array that holds exactly the bytes after the
 * header, or one of this package's errors: never another error class, a crash or a hang (a crash
 * ends the test process; a hang runs into the timeout).
 */

const FIXTURES = fileURLToPath(new URL('../../fixtures/npy/', import.meta.url));
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.npy')).sort().map((f) => readFileSync(join(FIXTURES, f)));
const tmp = scratchDir('npy-fuzz-', { inMemory: true }).path;

/** Fragments that mean something to the header's grammar, to insert or write over it. */
const TOKENS = [
  'L', '0', '03', '00', '-', '+', '(', ')', '[', ']', '{', '}', ',', ':', "'", '"', '\\', '\\x', '\\u', '\n', '\r', '\t', ' ', '#',
  '\ufeff', '\u00e9', 'True', 'False', 'None', 'u', 'b', 'r', '0x', '_', 'e', 'j', '.', '<', '>', '|', '=', '!', 'i4', 'f8', 'u1', 'b1',
  'M8[ns]', 'c16', 'O', 'S3', '9007199254740993', '4294967297', '1099511627776', "'shape'", "'descr'", "'fortran_order'", '\0',
].map((t) => Buffer.from(t, 'utf8'));

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'write'; at: number; token: number }
  | { kind: 'insert'; at: number; token: number }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'length'; value: number }
  | { kind: 'version'; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('write' as const), at: fc.nat(), token: fc.nat(TOKENS.length - 1) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.nat(TOKENS.length - 1) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('length' as const), value: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 0xffff }), fc.nat()) }),
  fc.record({ kind: fc.constant('version' as const), value: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 64 }) }),
);

/** The byte offset where the header ends, per the file's own length field (mutations mostly land before it). */
function headerEnd(bytes: Buffer): number {
  if (bytes.length < 12) return bytes.length;
  return bytes[6] === 1 ? 10 + bytes.readUInt16LE(8) : 12 + bytes.readUInt32LE(8);
}

function mutate(original: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(original);
  for (const m of mutations) {
    // positions fall in the header (and the first bytes of data) most of the time
    const span = Math.min(bytes.length, headerEnd(bytes) + 16) || 1;
    const at = 'at' in m ? m.at % span : 0;
    switch (m.kind) {
      case 'set': if (at < bytes.length) bytes[at] = m.byte; break;
      case 'write': TOKENS[m.token]!.copy(bytes, at); break;
      case 'insert': bytes = Buffer.concat([bytes.subarray(0, at), TOKENS[m.token]!, bytes.subarray(at)]); break;
      case 'delete': bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.count)]); break;
      case 'length':
        if (bytes.length >= 12 && bytes[6] !== 1) bytes.writeUInt32LE(m.value >>> 0, 8);
        else if (bytes.length >= 10) bytes.writeUInt16LE(m.value & 0xffff, 8);
        break;
      case 'version': if (bytes.length > 6) bytes[6] = m.value; break;
      case 'truncate': bytes = bytes.subarray(0, at); break;
      case 'append': bytes = Buffer.concat([bytes, Buffer.alloc(m.count, 0x41)]); break;
    }
  }
  return bytes;
}

/** The outcome of reading `file`: an array, checked against the file's bytes, or the error. */
async function read(reader: 'load' | 'openMemmap', file: string, bytes: Buffer): Promise<SharedNDArray | Error> {
  let outcome: SharedNDArray | Error;
  try {
    outcome = reader === 'load' ? await load(file) : openMemmap(file, { mode: 'c' });
  } catch (error) {
    if (!(error instanceof SharedNDArrayError)) throw new Error(`${reader} threw a ${(error as Error)?.constructor?.name}: ${String(error)}`, { cause: error });
    return error;
  }
  // an array holds exactly the bytes after the header, in the layout the header names
  const data = outcome.isContiguous('C') ? outcome : outcome.T;
  expect(data.isContiguous('C'), `${reader}: layout`).toBe(true);
  const start = headerEnd(bytes);
  const view = data.data;
  const got = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  expect(got.equals(bytes.subarray(start, start + outcome.nbytes)), `${reader}: the array's bytes are the file's`).toBe(true);
  // and it is usable: elements read (also through V8's slow path) and written ('c' maps are private)
  expect(Array.isArray(outcome.toArray()) || outcome.ndim === 0).toBe(true);
  if (outcome.size > 0) {
    const first = Object.getOwnPropertyDescriptor(view, 0)!.value as unknown;
    (view as unknown as unknown[])[0] = first;
    expect(Object.is(view[0], first) || Number.isNaN(first)).toBe(true);
  }
  return outcome;
}

describe('fuzzing the .npy readers with mutated numpy files', () => {
  it('load and openMemmap give a correct array or a package error, never anything else, and agree', async () => {
    const file = join(tmp, 'fuzz.npy');
    const seen = { loaded: 0, refused: 0, classes: new Set<string>() };
    await fc.assert(fc.asyncProperty(fc.nat(files.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (which, mutations) => {
      const bytes = mutate(files[which]!, mutations);
      writeFileSync(file, bytes);
      const loaded = await read('load', file, bytes);
      const mapped = await read('openMemmap', file, bytes);
      if (loaded instanceof SharedNDArray) {
        seen.loaded++;
        // the same file, so the same array; only mapping can meet misaligned data
        if (mapped instanceof SharedNDArray) {
          expect([mapped.dtype, mapped.shape, mapped.order]).toEqual([loaded.dtype, loaded.shape, loaded.order]);
        } else {
          expect(mapped).toBeInstanceOf(BufferError);
          expect(mapped.message).toMatch(/not a multiple of .* item size/);
        }
      } else {
        seen.refused++;
        seen.classes.add(loaded.name);
        expect(mapped).toBeInstanceOf(Error);
        expect((mapped as Error).name).toBe(loaded.name);
      }
    }), params(1500));
    // the mutations reach both outcomes and several kinds of refusal
    expect(seen.loaded).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(500);
    expect([...seen.classes]).toEqual(expect.arrayContaining(['NpyFormatError', 'DTypeError']));
  }, 60_000);
});
