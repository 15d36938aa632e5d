/**
 * Arrays on disk, 1 GiB of float64 (64 MiB with --quick, 1 MiB with --smoke): this package's `save`/`load` (copies
 * between the file and shared memory) and `createMemmap`/`openMemmap` (the file's pages are the
 * array), against numpy doing the same with np.save/np.load and np.memmap.
 *
 * Each case is timed whole, a few runs after an untimed one. The file stays in the page cache
 * between runs, so these are memory-speed figures, not disk ones; `flush` still waits for msync.
 * The previous run's arrays are collected before each run (as the alloc suite does), so a run
 * does not pay for the kernel compacting memory around gigabytes that are garbage but not yet freed.
 * - write: an in-memory array to a .npy file (save; or copy into a new memmap, then flush).
 * - read: a .npy file to an array whose every page has been touched (load; or map it and read
 *   one element per 4 KiB page).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeUnavailableError, createMemmap, load, openMemmap, save, zeros, type SharedNDArray } from 'shared-ndarray';
import { collector } from '../harness/collect.js';
import type { Suite, SuiteContext } from '../harness/context.js';
import { INSTALL, findPython, runJson } from '../harness/peers.js';

const PAGE = 4096 / 8;

/** Reads one element per page, so every page is faulted in. */
function touch(a: SharedNDArray<'float64'>): number {
  const data = a.data;
  let s = 0;
  for (let i = a.offset; i < a.offset + a.size; i += PAGE) s += data[i]!;
  return s;
}

/** numpy's runs of the same four operations, in seconds, timed by Python. */
function numpyScript(n: number, runs: number, dir: string): string {
  return `
import json, time, numpy as np
n, runs, d = ${n}, ${runs}, ${JSON.stringify(dir)}
a = np.full(n, 1.5)
def timed(f):
    out = []
    f()
    for _ in range(runs):
        s = time.perf_counter(); f(); out.append(time.perf_counter() - s)
    return out
def mm_write():
    m = np.lib.format.open_memmap(d + '/np-memmap.npy', mode='w+', dtype='<f8', shape=(n,))
    m[:] = a; m.flush(); del m
r = {'save': timed(lambda: np.save(d + '/np-save.npy', a)), 'memmap_write': timed(mm_write)}
r['load'] = timed(lambda: np.load(d + '/np-save.npy')[::${PAGE}].sum())
r['memmap_read'] = timed(lambda: np.load(d + '/np-memmap.npy', mmap_mode='r')[::${PAGE}].sum())
print(json.dumps(r))`;
}

/** Runs a memmap case, or records it as skipped when the native addon is not built. */
async function memmapCase(s: SuiteContext, name: string, fn: () => unknown, runs: number, vs: string): Promise<void> {
  try {
    await s.timed(name, fn, { runs, vs, warmup: true });
  } catch (error) {
    if (!(error instanceof NativeUnavailableError)) throw error;
    s.skip(name, `the native addon is not built (npm run build:native): ${error.message}`, { vs });
  }
}

const suite: Suite = {
  name: 'io',
  title: '.npy files and memory maps vs numpy',
  async run(s) {
    const mib = s.pick(1024, 64, 1);
    const runs = s.pick(3, 2, 1);
    const n = (mib * 2 ** 20) / 8;
    const dir = mkdtempSync(join(tmpdir(), 'io-bench-'));
    const python = await findPython({ numpy: true });
    const before = collector();
    if (python) s.peerVersion('python3 (numpy)', python.version);
    try {
      const source = zeros([n]).fill(1.5);
      const npy = join(dir, 'save.npy');
      const mapped = join(dir, 'memmap.npy');
      let numpy: Record<string, number[]> | undefined;
      const peer = async (name: string, key: string): Promise<void> => {
        if (!python) {
          s.skip(name, `python3 with numpy is not installed: ${INSTALL.numpy}`, { peer: true });
          return;
        }
        numpy ??= await runJson<Record<string, number[]>>(python.path, ['-c', numpyScript(n, runs, dir)]);
        await s.reported(name, async () => numpy![key]!);
      };

      s.group(`write ${mib} MiB of float64 to a .npy file (page cache warm)`);
      await peer('np.save(path, a)', 'save');
      await peer("open_memmap(mode='w+'), m[:] = a, flush", 'memmap_write');
      await s.timed('save(path, a)', () => save(npy, source), { runs, vs: 'np.save(path, a)', warmup: true, before });
      await memmapCase(s, 'createMemmap + copy + flush', () => {
        const m = createMemmap(mapped, { dtype: 'float64', shape: [n] });
        m.data.set(source.data);
        m.close();
      }, runs, "open_memmap(mode='w+'), m[:] = a, flush");

      s.group(`read ${mib} MiB of float64 from a .npy file, touching every page`);
      await peer('np.load(path)', 'load');
      await peer("np.load(path, mmap_mode='r')", 'memmap_read');
      await s.timed('load(path) + touch', async () => touch(await load(npy) as SharedNDArray<'float64'>), { runs, vs: 'np.load(path)', warmup: true, before });
      await memmapCase(s, "openMemmap(path, { mode: 'r' }) + touch", () => touch(openMemmap(mapped, { mode: 'r' }) as SharedNDArray<'float64'>), runs, "np.load(path, mmap_mode='r')");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
