/** Scratch files and shared memory names for a test file, cleaned up after it. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
