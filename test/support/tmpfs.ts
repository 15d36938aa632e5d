/** Scratch directories in memory, for the tests that write many files or large ones. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A directory of the test file's own in tmpfs (/dev/shm) where there is one, else in the OS's
 * temporary directory, removed after the file's tests. Call at the top level of a test file. On
 * a disk file system, rewriting one file in place over a thousand times costs a second of opens
 * and truncations, and reading a 2 GiB hole first fills the page cache with zeros.
 */
export function tmpfsDir(prefix: string): string {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
