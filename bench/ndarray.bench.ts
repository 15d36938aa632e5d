/**
 * Element access and view creation of SharedNDArray against @stdlib/ndarray and a plain typed
 * array loop, measured side by side in one process by benchmark.js.
 *
 * Run: npm run bench
 */
import { createRequire } from 'node:module';
import Benchmark from 'benchmark';
import { zeros } from '../src/index.js';

const require = createRequire(import.meta.url);
const stdlibNdarray = require('@stdlib/ndarray/ctor') as (
  dtype: string, buf: Float64Array, shape: number[], strides: number[], offset: number, order: string,
) => { get(i: number, j: number): number; set(i: number, j: number, v: number): void };

const ROWS = 100, COLS = 100;
const ours = zeros([ROWS, COLS]);
const raw = ours.data;
const theirs = stdlibNdarray('float64', raw, [ROWS, COLS], [COLS, 1], 0, 'row-major');
let sink = 0;

interface Case { name: string; baseline?: boolean; fn: () => void }
const groups: Record<string, Case[]> = {
  'get every element of a 100x100 float64 matrix': [
    { name: 'Float64Array[i * cols + j]', baseline: true, fn: () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) sink += raw[i * COLS + j]!; } },
    { name: 'SharedNDArray.get(i, j)', fn: () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) sink += ours.get(i, j); } },
    { name: '@stdlib ndarray.get(i, j)', fn: () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) sink += theirs.get(i, j); } },
  ],
  'set every element of a 100x100 float64 matrix': [
    { name: 'Float64Array[i * cols + j] = v', baseline: true, fn: () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) raw[i * COLS + j] = j; } },
    { name: 'SharedNDArray.set(i, j, v)', fn: () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) ours.set(i, j, j); } },
    { name: '@stdlib ndarray.set(i, j, v)', fn: () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) theirs.set(i, j, j); } },
  ],
  'fill each row of a 100x100 float64 matrix': [
    { name: 'Float64Array.fill(v, start, end)', baseline: true, fn: () => { for (let i = 0; i < ROWS; i++) raw.fill(i, i * COLS, (i + 1) * COLS); } },
    { name: 'SharedNDArray.row(i).fill(v)', fn: () => { for (let i = 0; i < ROWS; i++) ours.row(i).fill(i); } },
  ],
  'create a view': [
    { name: 'Float64Array.subarray (baseline)', baseline: true, fn: () => { sink += raw.subarray(100, 200).length; } },
    { name: 'SharedNDArray.slice(\'1:50\', \'::-2\')', fn: () => { sink += ours.slice('1:50', '::-2').size; } },
    { name: 'SharedNDArray.reshape(50, 200)', fn: () => { sink += ours.reshape(50, 200).size; } },
    { name: 'SharedNDArray.T', fn: () => { sink += ours.T.size; } },
  ],
};

const quick = process.argv.includes('--quick');
for (const [title, cases] of Object.entries(groups)) {
  const suite = new Benchmark.Suite(title);
  for (const c of cases) suite.add(c.name, c.fn, quick ? { maxTime: 0.5 } : { maxTime: 2 });
  suite.on('cycle', (e: Benchmark.Event) => process.stderr.write(`  ${String(e.target)}\n`));
  console.log(`\n${title}`);
  suite.run();
  const benches = suite.map((b: Benchmark) => b) as Benchmark[];
  const base = benches.find((b) => b.name === cases.find((c) => c.baseline)!.name)!;
  console.log('| case | ops/s | ± | time vs baseline |\n|---|---:|---:|---:|');
  for (const b of benches) {
    console.log(`| ${b.name} | ${b.hz.toFixed(0)} | ${b.stats.rme.toFixed(1)}% | ${(base.hz / b.hz).toFixed(2)}× |`);
  }
}
if (sink === Number.MIN_VALUE) console.log(sink);
