// Maps data at every alignment through every mapping function, for every dtype, and touches each
// array the ways that abort the process when its memory is misaligned: V8's slow element path
// (getOwnPropertyDescriptor) and element writes. Run in a child process, so an abort (exit 133)
// is a failed test rather than a dead test runner. Prints one JSON line per case:
//   { fn, dtype, offset, at?, outcome: 'ok' | <error class name>, message? }
// where `offset` is the file offset mapped, `at` the byte offset frombuffer was given, and 'ok'
// means the values read and written were the right bytes of the file or buffer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DTYPES, MMap, SharedMemory, createMemmap, frombuffer, memmap, openMemmap,
} from 'shared-ndarray';

const dir = mkdtempSync(join(tmpdir(), 'shared-ndarray-align-'));
const dtypes = Object.keys(DTYPES);
const N = 3;
function report(fn, dtype, offset, at, run) {
  let result;
  try {
    run();
    result = { fn, dtype, offset, at, outcome: 'ok' };
  } catch (error) {
    result = { fn, dtype, offset, at, outcome: error?.constructor?.name ?? typeof error, message: String(error?.message ?? error) };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Bytes (37i + 11) mod 256: every element at every offset has a distinct, predictable value. */
function pattern(n) {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff));
}

/** The element `i` of `dtype` stored at `byte` of `bytes`, read with a DataView (any alignment). */
function expected(bytes, dtype, byte) {
  const view = new DataView(bytes.buffer, bytes.byteOffset + byte);
  switch (dtype) {
    case 'bool': return view.getUint8(0) !== 0;
    case 'int8': return view.getInt8(0);
    case 'uint8': case 'uint8c': return view.getUint8(0);
    case 'int16': return view.getInt16(0, true);
    case 'uint16': return view.getUint16(0, true);
    case 'int32': return view.getInt32(0, true);
    case 'uint32': return view.getUint32(0, true);
    case 'float32': return view.getFloat32(0, true);
    case 'int64': return view.getBigInt64(0, true);
    case 'uint64': return view.getBigUint64(0, true);
    case 'float64': return view.getFloat64(0, true);
    default: throw new Error(`no reader for ${dtype}`);
  }
}

const same = (a, b) => Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));

/**
 * Reads every element of the 1-d array `a` through the typed array, V8's slow path and `get`,
 * checks them against `source` (the bytes the array should view, from byte `at`), then writes
 * elements 1 and 2 of the raw typed array, directly and through the slow path (defineProperty).
 * A read-only array's raw typed array is written too: its pages are private copies.
 */
function touch(a, source, at, dtype) {
  const { itemsize } = DTYPES[dtype];
  const data = a.data;
  const element = (x) => (dtype === 'bool' ? x !== 0 : x);
  for (let i = 0; i < a.size; i++) {
    const want = expected(source, dtype, at + i * itemsize);
    const got = [element(data[i]), element(Object.getOwnPropertyDescriptor(data, i).value), a.get(i)];
    if (!got.every((x) => same(x, want))) throw new Error(`element ${i}: read ${got.map(String).join(' / ')}, expected ${String(want)}`);
  }
  const value = typeof data[0] === 'bigint' ? 5n : 1;
  data[1] = value;
  Object.defineProperty(data, 2, { value, writable: true, enumerable: true, configurable: true });
  if (!same(data[1], value) || !same(Object.getOwnPropertyDescriptor(data, 2).value, value)) throw new Error('a write did not read back');
}

try {
  // memmap of raw bytes at offsets 64..71 (every residue mod 8), each mode
  const raw = pattern(256);
  const rawPath = join(dir, 'raw.bin');
  for (const mode of ['r', 'r+', 'c']) {
    for (const dtype of dtypes) {
      for (let offset = 64; offset < 72; offset++) {
        writeFileSync(rawPath, raw);
        report(`memmap ${mode}`, dtype, offset, undefined, () => {
          const a = memmap(rawPath, { dtype, mode, offset, shape: [N] });
          touch(a, raw, offset, dtype);
          if (mode === 'r+') {
            a.flush();
            const disk = readFileSync(rawPath);
            const want = a.get(1);
            if (!same(expected(disk, dtype, offset + DTYPES[dtype].itemsize), want)) throw new Error('the write did not reach the file');
          }
        });
      }
    }
  }

  // openMemmap of .npy files whose header puts the data at bytes 69..76 (numpy writes 64-aligned
  // headers; other writers and hand-made files need not)
  for (const dtype of dtypes) {
    const { descr, itemsize } = DTYPES[dtype];
    for (let dataOffset = 69; dataOffset < 77; dataOffset++) {
      const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${N},), }`;
      const headerLength = dataOffset - 10;
      const header = Buffer.from(`${dict.padEnd(headerLength - 1, ' ')}\n`, 'latin1');
      const prefix = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLength & 0xff, headerLength >> 8]);
      const body = pattern(N * itemsize);
      const file = Buffer.concat([prefix, header, body]);
      const path = join(dir, `${dtype}-${dataOffset}.npy`);
      for (const mode of ['r', 'r+', 'c']) {
        writeFileSync(path, file);
        report(`openMemmap ${mode}`, dtype, dataOffset, undefined, () => touch(openMemmap(path, { mode }), file, dataOffset, dtype));
      }
    }
  }

  // createMemmap: the header is padded so the data is 64-byte aligned, in every format version
  for (const dtype of dtypes) {
    for (const version of [1, 2, 3]) {
      report(`createMemmap v${version}`, dtype, undefined, undefined, () => {
        const path = join(dir, `created-${dtype}-${version}.npy`);
        const a = createMemmap(path, { dtype, shape: [N], version });
        if (a.fileOffset % 64 !== 0) throw new Error(`data at byte ${a.fileOffset}`);
        a.flush();
        touch(a, readFileSync(path), a.fileOffset, dtype);
      });
    }
  }

  // MMap at offsets 64..71; frombuffer over its buffer at byte offsets 0..7
  const mmPath = join(dir, 'mmap.bin');
  writeFileSync(mmPath, raw);
  for (let offset = 64; offset < 72; offset++) {
    for (const access of ['read', 'write', 'copy']) {
      const mm = new MMap(mmPath, 32, { access, offset });
      /** Puts the file's bytes back under the map (a read map's raw writes land in its private pages). */
      const restore = () => new Uint8Array(mm.buffer).set(raw.subarray(offset, offset + 32));
      report(`MMap ${access} read()`, 'uint8', offset, undefined, () => {
        if (!mm.read(8).equals(raw.subarray(offset, offset + 8))) throw new Error('read() gave the wrong bytes');
      });
      for (const dtype of dtypes) {
        for (let at = 0; at < 8; at++) {
          report(`MMap ${access} frombuffer(buffer)`, dtype, offset, at, () => {
            const a = frombuffer(mm.buffer, { dtype, offset: at, count: N });
            try {
              touch(a, raw, offset + at, dtype);
            } finally {
              restore();
            }
          });
        }
      }
    }
  }

  // SharedMemory, and frombuffer over a Memmap's buffer
  writeFileSync(rawPath, raw);
  const shm = new SharedMemory({ create: true, size: 64 });
  try {
    for (const dtype of dtypes) {
      for (let at = 0; at < 8; at++) {
        report('SharedMemory frombuffer(buf)', dtype, 0, at, () => {
          new Uint8Array(shm.buf).set(pattern(64));
          touch(frombuffer(shm.buf, { dtype, offset: at, count: N }), pattern(64), at, dtype);
        });
        report('frombuffer(Memmap.buffer)', dtype, 69, at, () => {
          const bytes = memmap(rawPath, { dtype: 'uint8', mode: 'c', offset: 69, shape: [64] });
          if (bytes.byteOffset !== 5) throw new Error(`the map's buffer does not start at file byte 64: byteOffset ${bytes.byteOffset}`);
          touch(frombuffer(bytes.buffer, { dtype, offset: at, count: N }), raw, 64 + at, dtype);
        });
      }
    }
  } finally {
    shm.close();
    shm.unlink();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
