/** Scratch files and shared memory names for a test file, cleaned up after it. */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { shmUnlink } from '../../src/io/native.js';

/**
 * A directory of the file's own, removed after its tests. `file(bytes)` is a fresh path in it,
 * holding `bytes` if given. Call at the top level of a test file. `{ inMemory: true }` puts it in
 * tmpfs (/dev/shm) where there is one, for tests that write many files or large ones: on a disk
 * file system, rewriting one file in place over a thousand times costs a second of opens and
 * truncations, and reading a 2 GiB hole first fills the page cache with zeros.
 */
export function scratchDir(prefix: string, options: { inMemory?: boolean } = {}): { path: string; file(bytes?: Uint8Array | string): string } {
  const path = mkdtempSync(join(options.inMemory && existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), prefix));
  afterAll(() => rmSync(path, { recursive: true, force: true }));
  let counter = 0;
  return {
    path,
    file(bytes) {
      const file = join(path, `f${counter++}.bin`);
      if (bytes !== undefined) writeFileSync(file, bytes);
      return file;
    },
  };
}

/** Whether POSIX shared memory `name` exists: Linux shows the names as files in /dev/shm. */
export const onDisk = (name: string): boolean => existsSync(`/dev/shm/${name}`);

/**
 * Shared memory names the file's tests use: `fresh()` is one no other run uses, `track(name)`
 * adds another; whatever of them a test left is unlinked after the file. Call at the top level.
 */
export function shmNames(): { fresh(): string; track(name: string): void } {
  const names: string[] = [];
  afterAll(() => {
    for (const name of names) if (onDisk(name)) shmUnlink(name);
  });
  return {
    fresh() {
      const name = `sndtest_${process.pid}_${randomBytes(4).toString('hex')}`;
      names.push(name);
      return name;
    },
    track(name) {
      names.push(name);
    },
  };
}

/**
 * Writes a version 1.0 `.npy` header for `n` elements of `descr`, laid out as numpy lays it out
 * (written here, not by the package's own encoder, so a load test does not read what the code
 * under test wrote); `fill` writes the data from byte `dataOffset` on (ftruncate for a sparse file).
 */
export function writeNpy(file: string, descr: string, n: number, fill: (fd: number, dataOffset: number) => void): void {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${n},), }`;
  const padded = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const prefix = Buffer.alloc(10 + padded, 0x20);
  Buffer.from('\x93NUMPY\x01\x00', 'latin1').copy(prefix);
  prefix.writeUInt16LE(padded, 8);
  prefix.write(dict, 10, 'latin1');
  prefix[prefix.length - 1] = 0x0a;
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, prefix, 0, prefix.length, 0);
    fill(fd, prefix.length);
  } finally {
    closeSync(fd);
  }
}
