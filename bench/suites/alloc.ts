/**
 * Building a large array: fresh memory, then every element written once. 1 GiB and 4 GiB of
 * float64 (64 and 256 MiB with --quick, 16 MiB with --smoke), against numpy's np.zeros + fill in the same run.
 * - `zeros([rows, cols]).fill(1.5)`: from 16 MiB on, the memory is the addon's huge pages.
 * - the same rows written by a pool of 2 (`mapRows`), the package's first use.
 * - a plain SharedArrayBuffer + Float64Array.fill: what allocation was before, and is without
 *   the addon (4 KiB pages: a fault per page, the cost the huge pages remove).
 * - load of a .npy file of each size (page cache warm) against np.load, every page touched
 *   (through one typed array, as numpy's strided sum reads it: `a.data` makes a view per call).
 * - save of an array of each size against np.save (the file overwritten each run, as both do).
 *
 * Each run allocates anew and the previous run's memory is collected first, so every run pays
 * for fresh pages, as a script that builds its matrix does.
 *
 * Those pages are fresh to the process, not to the machine: huge pages it freed and takes again
 * are fast. A user's script is a new process, which on some virtual machines pays far more for its
 * first huge pages than for 4 KiB ones (the host backs them anew), so the first group runs each
 * case as the first allocation of a process of its own: zeros + fill with huge pages, the same
 * with SHARED_NDARRAY_MADVISE_HUGEPAGE=0, and numpy's np.zeros + fill, alternating, with a pause
 * before each run in which the host takes back what the last one freed (measured on a 2-vCPU
 * Firecracker VM: back to back, a second huge-page process took 0.07 s instead of 2.3-2.8 s;
 * after 0.25-1 s, either; after 2 or 5 s, always the slow figure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { MMap, NativeUnavailableError, Pool, load, save, zeros, type SharedNDArray } from 'shared-ndarray';
import { collector } from '../harness/collect.js';
import type { Suite, SuiteContext } from '../harness/context.js';
import { formatBytes } from '../harness/format.js';
import { type Found, INSTALL, findPython, runJson } from '../harness/peers.js';

const COLS = 1024;
const PAGE = 4096 / 8;
type FillPool = Pool<{ fillRows: (a: SharedNDArray<'float64'>, start: number, stop: number) => number; collect: () => boolean }>;


/** Whether the native addon loads (an anonymous MMap needs it, as huge-page allocation does). */
function addonLoads(): boolean {
  try {
    new MMap(-1, 8).close();
    return true;
  } catch (error) {
    if (error instanceof NativeUnavailableError) return false;
    throw error;
  }
}

/**
 * numpy's runs of one case (`zeros`: zeros + fill, `load`: load + touch, `save`), in seconds, timed
 * by Python. One process per case, run just before ours, so both sides meet the same load.
 */
function numpyScript(kind: 'zeros' | 'load' | 'save', mib: number, runs: number, dir: string): string {
  return `
import gc, json, os, time, numpy as np
cols, runs, d, mib, kind = ${COLS}, ${runs}, ${JSON.stringify(dir)}, ${mib}, ${JSON.stringify(kind)}
def timed(f):
    out = []
    for _ in range(runs):
        gc.collect()
        s = time.perf_counter(); r = f(); out.append(time.perf_counter() - s)
        del r
    return out
def build(rows):
    a = np.zeros((rows, cols)); a.fill(1.5); return a
rows = mib * 2**20 // 8 // cols
path = d + '/np-%d.npy' % mib
if kind == 'zeros':
    r = timed(lambda: build(rows))
elif kind == 'load':
    np.save(path, build(rows))
    r = timed(lambda: np.load(path)[::, ::${PAGE}].sum())
else:
    a = build(rows)
    r = timed(lambda: np.save(path, a))
if os.path.exists(path): os.remove(path)
print(json.dumps(r))`;
}

const FRESH_CHILD = fileURLToPath(new URL('../support/fresh-zeros.mjs', import.meta.url));
/** Before each fresh process: long enough for the host to take back the last one's memory. */
const PAUSE_MS = 3000;

/**
 * zeros + fill of `mib` as the first allocation of a fresh process, with and without huge pages,
 * and numpy's, the three alternating run by run; each process times itself after its imports.
 */
async function freshProcesses(s: SuiteContext, python: Found | undefined, mib: number, runs: number): Promise<void> {
  const rows = (mib * 2 ** 20) / 8 / COLS;
  const size = formatBytes(mib * 2 ** 20);
  const HUGE = `fresh process: zeros + fill, huge pages (${size})`;
  const PLAIN = `fresh process: zeros + fill, SHARED_NDARRAY_MADVISE_HUGEPAGE=0 (${size})`;
  const NUMPY = `fresh process: np.zeros + fill (${size})`;
  s.group(`${size} of float64 as a fresh process's first allocation, written once`, `one process per run, the three cases in turns, each run after a ${PAUSE_MS / 1000} s pause`);
  const numpy = `import json, time, numpy as np
s = time.perf_counter(); a = np.zeros((${rows}, ${COLS})); a.fill(1.5)
print(json.dumps({'seconds': time.perf_counter() - s}))`;
  type Run = () => Promise<{ seconds: number }>;
  const ours = (hugePages: '0' | '1'): Run => () => runJson(process.execPath, [FRESH_CHILD, String(rows), String(COLS), hugePages]);
  const cases: Array<[string, Run]> = [[HUGE, ours('1')], [PLAIN, ours('0')]];
  if (python) cases.push([NUMPY, () => runJson(python.path, ['-c', numpy])]);
  const seconds = new Map(cases.map(([name]) => [name, [] as number[]]));
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of cases) {
      if (!s.smoke) await sleep(PAUSE_MS);
      seconds.get(name)!.push((await fn()).seconds);
    }
  }
  await s.reported(HUGE, async () => seconds.get(HUGE)!, { peer: false, vs: NUMPY });
  await s.reported(PLAIN, async () => seconds.get(PLAIN)!, { peer: false, vs: NUMPY });
  if (python) await s.reported(NUMPY, async () => seconds.get(NUMPY)!);
  else s.skip(NUMPY, `python3 with numpy is not installed: ${INSTALL.numpy}`, { peer: true });
  // no bars: what this machine's host charges for fresh memory, which the package cannot change
  s.compare(`fresh process, huge pages / numpy, ${size}`, HUGE, NUMPY);
  s.compare(`fresh process, SHARED_NDARRAY_MADVISE_HUGEPAGE=0 / numpy, ${size}`, PLAIN, NUMPY);
  s.compare(`fresh process: huge pages / 4 KiB pages, ${size}`, HUGE, PLAIN);
}

const suite: Suite = {
  name: 'alloc',
  title: 'building a large array: fresh memory written once, load and save, vs numpy',
  async run(s) {
    // --smoke: the smallest array that huge pages back (HUGE_PAGE_THRESHOLD)
    const sizes = s.pick([1024, 4096], [64, 256], [16]);
    const runs = s.pick(3, 2, 1);
    const gc = collector();
    const dir = mkdtempSync(join(tmpdir(), 'alloc-bench-'));
    const python = await findPython({ numpy: true });
    if (python) s.peerVersion('python3 (numpy)', python.version);
    if (!addonLoads()) s.note('the native addon does not load: large arrays are plain SharedArrayBuffers in this run');
    // first, before this process has freed gigabytes for the host to take back
    await freshProcesses(s, python, s.pick(1024, 256, 16), runs);
    const pool: FillPool = new Pool(new URL('../support/fill.worker.mjs', import.meta.url), { size: 2 });
    /** Collects here and in both workers (two calls at once go to the two idle workers). */
    const collectAll = async (): Promise<void> => {
      gc();
      await Promise.all([pool.apply('collect'), pool.apply('collect')]);
      gc();
    };
    const peer = async (name: string, kind: 'zeros' | 'load' | 'save', mib: number): Promise<void> => {
      if (!python) {
        s.skip(name, `python3 with numpy is not installed: ${INSTALL.numpy}`, { peer: true });
        return;
      }
      await s.reported(name, () => runJson<number[]>(python.path, ['-c', numpyScript(kind, mib, runs, dir)]));
    };
    try {
      await pool.ready();
      for (const mib of sizes) {
        const rows = (mib * 2 ** 20) / 8 / COLS;
        const size = formatBytes(mib * 2 ** 20);
        const vs = `np.zeros((${rows}, ${COLS})).fill(1.5) (${size})`;
        s.group(`${size} of float64, [${rows}, ${COLS}]: allocate, then write every element once`);
        await peer(vs, 'zeros', mib);
        const cases: Array<[string, () => unknown]> = [
          [`zeros([rows, cols]).fill(1.5) (${size})`, () => zeros([rows, COLS]).fill(1.5)],
          [`zeros + pool.mapRows(fillRows), 2 workers (${size})`, () => pool.mapRows('fillRows', zeros([rows, COLS]))],
          [`plain new SharedArrayBuffer + Float64Array.fill (${size})`, () => new Float64Array(new SharedArrayBuffer(mib * 2 ** 20)).fill(1.5)],
        ];
        for (const [i, [name, fn]] of cases.entries()) await s.timed(name, fn, { runs, vs, peer: i === 2, before: collectAll });
        // the targets: a shared matrix built on 2 threads faster than numpy builds it on one
        s.compare(`zeros + fill on 2 workers / numpy, ${size}`, cases[1]![0], vs, 1);
        s.compare(`zeros + fill, 1 thread / numpy, ${size}`, cases[0]![0], vs);
        s.compare(`plain SharedArrayBuffer / huge pages, ${size}`, cases[2]![0], cases[0]![0]);

        const path = join(dir, `save-${mib}.npy`);
        await save(path, zeros([rows, COLS]).fill(1.5));
        await collectAll();
        const loadVs = `np.load(path) + touch (${size})`;
        s.group(`${size} .npy file (page cache warm): load, touching every page`);
        await peer(loadVs, 'load', mib);
        await s.timed(`load(path) + touch (${size})`, async () => {
          const data = ((await load(path)) as SharedNDArray<'float64'>).data;
          let sum = 0;
          for (let i = 0; i < data.length; i += PAGE) sum += data[i]!;
          return sum;
        }, { runs, vs: loadVs, before: collectAll });
        s.compare(`load / np.load, ${size}`, `load(path) + touch (${size})`, loadVs, 1.3);

        const saveVs = `np.save(path, a) (${size})`;
        s.group(`${size} of float64: save to a .npy file (overwritten each run)`);
        await peer(saveVs, 'save', mib);
        const saved = await load(path);
        rmSync(path, { force: true });
        await s.timed(`save(path, a) (${size})`, () => save(path, saved), { runs, vs: saveVs });
        s.compare(`save / np.save, ${size}`, `save(path, a) (${size})`, saveVs, 1.3);
        rmSync(path, { force: true });
      }
    } finally {
      await pool.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
