import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Arrays from 16 MiB on come from the native addon's huge-page memory, and behave exactly as
 * plain SharedArrayBuffers do (the fallback when the addon does not load). Each mode runs in a
 * child process that can force garbage collection and read its own /proc accounting.
 */

const run = promisify(execFile);
const script = fileURLToPath(new URL('../support/large-alloc.mjs', import.meta.url));

/** Whether the kernel gives transparent huge pages to memory that asks (mode 'always' or 'madvise'). */
function transparentHugePages(): boolean {
  try {
    return !readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[never]');
  } catch {
    return false;
  }
}

const modes = [
  { mode: 'with the addon', env: {}, native: true },
  { mode: 'without the addon (plain SharedArrayBuffers)', env: { SHARED_NDARRAY_NATIVE_ADDON: '/nonexistent/addon.node' }, native: false },
];

// concurrent: each mode is a child process of its own that mostly waits (on collections, a worker)
describe.concurrent.each(modes)('large arrays $mode', ({ env, native }) => {
  it('are zero-filled, shared with workers, outlive the thread that made them and are freed when collected', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--expose-gc', script], { env: { ...process.env, ...env }, timeout: 60_000 });
    expect(stderr).toBe('');
    const out = JSON.parse(stdout);
    expect(out).toEqual({
      native,
      buffer: 'SharedArrayBuffer',
      droppedCollected: true, // made and dropped in turn, the arrays do not pile up
      mappings: native ? 1 : 0, // one huge-page mapping per large array
      allZero: true,
      hugeGrew: native && transparentHugePages(),
      smallMappings: 0, // small arrays stay on V8's allocator
      allocatorMappings: native ? 7 : 0, // empty, ones, full, copy, astype, array, load
      values: [0, 1, 7, 1, 1, 0, 1],
      workerWrote: true,
      survivesCreator: true,
      freedMappings: native ? 1 : 0, // only the worker-made array is still referenced
      rssReturnedMiB: true,
      small: 1000,
    });
  });
});
