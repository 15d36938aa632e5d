import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SharedMemory, frombuffer } from '../../src/index.js';
import { onDisk, shmNames } from '../support/files.js';

/**
 * Two separate Node processes sharing one SharedNDArray through Python's SharedMemory
 * (src/io/shared-memory.ts); the child runs the compiled package. Linux shows POSIX shared memory
 * names as files in /dev/shm, which the tests use to see what exists.
 */

const CHILD = fileURLToPath(new URL('../support/shm-child.mjs', import.meta.url));
const { fresh, track } = shmNames();

/** Forks the child script and resolves with its one message and exit code. */
function runChild(args: string[]): Promise<{ message: Record<string, unknown>; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let message: Record<string, unknown> = {};
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('message', (m) => { message = m as Record<string, unknown>; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ message, code, stderr }));
  });
}

describe('two Node processes share one SharedNDArray', () => {
  it('a forked child attaches by name, reads what the parent wrote and writes; the parent reads it; the child does not unlink', async () => {
    const rows = 3, cols = 4;
    const shm = new SharedMemory({ create: true, size: rows * cols * 8 });
    track(shm.name);
    try {
      const a = frombuffer(shm.buf, { dtype: 'float64' }).reshape(rows, cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) a.set(r, c, r * cols + c);
      const { message, code, stderr } = await runChild([shm.name, String(rows), String(cols)]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(message.pid).not.toBe(process.pid);
      expect(message.size).toBe(rows * cols * 8);
      expect(message.parentSum).toBe((rows * cols * (rows * cols - 1)) / 2);
      // the child's writes, seen here through the same memory
      expect(a.toArray()).toEqual([[0.5, 10.5, 20.5, 30.5], [40.5, 50.5, 60.5, 70.5], [80.5, 90.5, 100.5, 110.5]]);
      // the child exited without unlinking: the name is still there for others to attach
      expect(onDisk(shm.name)).toBe(true);
      expect(new Float64Array(new SharedMemory(shm.name).buf)[11]).toBe(110.5);
    } finally {
      shm.close();
      shm.unlink();
    }
    expect(onDisk(shm.name)).toBe(false);
  });

  it('a block created by a process that exits without unlink() outlives it (no resource tracker)', async () => {
    const name = fresh();
    const { message, code } = await runChild([name, '0', '0', 'create-and-leave']);
    expect(code).toBe(0);
    expect(message.created).toBe(name);
    expect(onDisk(name)).toBe(true);
    const shm = new SharedMemory(name);
    expect(shm.size).toBe(64);
    expect(new Uint8Array(shm.buf).every((x) => x === 7)).toBe(true);
    shm.unlink();
  });
});
