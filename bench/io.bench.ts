/**
 * Arrays on disk, 1 GiB of float64, side by side in one run: this package's `save`/`load`
 * (copies between the file and shared memory) against `createMemmap`/`openMemmap` (the file's
 * pages are the array), and numpy doing the same with `np.save`/`np.load` and `np.memmap`.
 *
 * Each case is timed whole, best of a few runs (a run takes around a second, too long for
 * benchmark.js's sampling). The file stays in the page cache between runs, so these are
 * memory-speed figures, not disk ones; `flush` still waits for msync.
 * - write: an in-memory array to a .npy file (save; or copy into a new memmap, then flush).
 * - read: a .npy file to an array whose every page has been touched (load; or map it and read
 *   one element per 4 KiB page).
 *
 * Run: npm run bench   (or: npx tsx bench/io.bench.ts [--quick] [--size-mib N])
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemmap, load, openMemmap, save, zeros, type SharedNDArray } from '../src/index.js';

const quick = process.argv.includes('--quick');
const sizeArg = process.argv.indexOf('--size-mib');
const MIB = sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : quick ? 64 : 1024;
const RUNS = quick ? 2 : 3;
const n = (MIB * 2 ** 20) / 8;
const dir = mkdtempSync(join(tmpdir(), 'io-bench-'));
const PAGE = 4096 / 8;

async function best(run: () => unknown): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    min = Math.min(min, performance.now() - start);
  }
  return min / 1000;
}

/** Reads one element per page, so every page is faulted in. */
function touch(a: SharedNDArray<'float64'>): number {
  const data = a.data;
  let s = 0;
  for (let i = a.offset; i < a.offset + a.size; i += PAGE) s += data[i]!;
  return s;
}

try {
  const source = zeros([n]).fill(1.5);
  const npy = join(dir, 'save.npy');
  const mapped = join(dir, 'memmap.npy');
  const rows: Array<[string, string, number]> = [];

  process.stderr.write(`  ${MIB} MiB: save / createMemmap...\n`);
  rows.push(['write', 'save(path, a)', await best(() => save(npy, source))]);
  rows.push(['write', 'createMemmap + copy + flush', await best(() => {
    const m = createMemmap(mapped, { dtype: 'float64', shape: [n] });
    m.data.set(source.data);
    m.close();
  })]);
  process.stderr.write('  load / openMemmap...\n');
  rows.push(['read', 'load(path) (+ touch)', await best(async () => touch(await load(npy) as SharedNDArray<'float64'>))]);
  rows.push(['read', "openMemmap(path, { mode: 'r' }) + touch", await best(() => touch(openMemmap(mapped, { mode: 'r' }) as SharedNDArray<'float64'>))]);

  const python = '/usr/bin/python3';
  let numpy: Record<string, number> | undefined;
  if (existsSync(python)) {
    process.stderr.write('  numpy...\n');
    try {
      numpy = JSON.parse(execFileSync(python, ['-c', `
import json, time, numpy as np
n, runs, d = ${n}, ${RUNS}, ${JSON.stringify(dir)}
a = np.full(n, 1.5)
def best(f):
    t = float('inf')
    for _ in range(runs):
        s = time.perf_counter(); f(); t = min(t, time.perf_counter() - s)
    return t
def mm_write():
    m = np.lib.format.open_memmap(d + '/np-memmap.npy', mode='w+', dtype='<f8', shape=(n,))
    m[:] = a; m.flush(); del m
r = {'save': best(lambda: np.save(d + '/np-save.npy', a)), 'memmap_write': best(mm_write)}
r['load'] = best(lambda: np.load(d + '/np-save.npy')[::${PAGE}].sum())
r['memmap_read'] = best(lambda: np.load(d + '/np-memmap.npy', mmap_mode='r')[::${PAGE}].sum())
print(json.dumps(r))`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Record<string, number>;
    } catch {
      process.stderr.write('  numpy is not installed for /usr/bin/python3 (apt-get install python3-numpy): its column is skipped\n');
    }
  }
  const peer: Record<string, number | undefined> = {
    'save(path, a)': numpy?.['save'],
    'createMemmap + copy + flush': numpy?.['memmap_write'],
    'load(path) (+ touch)': numpy?.['load'],
    "openMemmap(path, { mode: 'r' }) + touch": numpy?.['memmap_read'],
  };
  const names: Record<string, string> = {
    'save(path, a)': 'np.save', 'createMemmap + copy + flush': 'open_memmap w+, m[:] = a, flush',
    'load(path) (+ touch)': 'np.load', "openMemmap(path, { mode: 'r' }) + touch": "np.load(mmap_mode='r')",
  };
  console.log(`\n.npy file of ${MIB} MiB float64, best of ${RUNS} (page cache warm)`);
  console.log('| op | shared-ndarray | s | numpy | s | ratio |\n|---|---|---:|---|---:|---:|');
  for (const [op, name, seconds] of rows) {
    const theirs = peer[name];
    console.log(`| ${op} | ${name} | ${seconds.toFixed(3)} | ${names[name]} | ${theirs === undefined ? '—' : theirs.toFixed(3)} | ${theirs === undefined ? '—' : `${(seconds / theirs).toFixed(2)}×`} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
