/**
 * Element access, row fill and view creation of SharedNDArray against @stdlib/ndarray over the
 * same memory and a plain Float64Array loop, sampled by benchmark.js side by side.
 */
import { createRequire } from 'node:module';
import { zeros } from 'shared-ndarray';
import type { BenchOptions, Suite } from '../harness/context.js';
import { INSTALL, packageVersion } from '../harness/peers.js';

const require = createRequire(import.meta.url);

interface StdlibMatrix {
  readonly data: Float64Array;
  readonly offset: number;
  readonly length: number;
  get(i: number, j: number): number;
  set(i: number, j: number, v: number): void;
}
type Ctor = (dtype: string, buf: Float64Array, shape: number[], strides: number[], offset: number, order: string) => StdlibMatrix;
type SliceArg = number | null | object;

interface Stdlib {
  ndarray: Ctor;
  slice: (x: StdlibMatrix, ...s: SliceArg[]) => StdlibMatrix;
  fillSlice: (x: StdlibMatrix, value: number, ...s: SliceArg[]) => StdlibMatrix;
  transpose: (x: StdlibMatrix) => StdlibMatrix;
  Slice: new (start: number | null, stop: number | null, step: number | null) => object;
}

/** The @stdlib functions the suite compares with, or undefined where @stdlib/ndarray is not installed. */
function loadStdlib(): Stdlib | undefined {
  try {
    return {
      ndarray: require('@stdlib/ndarray/ctor') as Stdlib['ndarray'],
      slice: require('@stdlib/ndarray/slice') as Stdlib['slice'],
      fillSlice: require('@stdlib/ndarray/fill-slice') as Stdlib['fillSlice'],
      transpose: require('@stdlib/ndarray/transpose') as Stdlib['transpose'],
      Slice: require('@stdlib/slice/ctor') as Stdlib['Slice'],
    };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

const ROWS = 100;
const COLS = 100;

const suite: Suite = {
  name: 'ndarray',
  title: 'element access and views of a 100x100 float64 matrix',
  async run(s) {
    const stdlib = loadStdlib();
    if (stdlib) s.peerVersion('@stdlib/ndarray', packageVersion('@stdlib/ndarray'));
    const ours = zeros([ROWS, COLS]);
    const raw = ours.data;
    let sink = 0;
    /** A case of @stdlib over the same memory as `ours`, skipped without @stdlib. */
    const theirBench = async (name: string, fn: (lib: Stdlib, theirs: StdlibMatrix) => () => void, options: BenchOptions): Promise<void> => {
      if (!stdlib) {
        s.skip(name, `@stdlib/ndarray is not installed: ${INSTALL.npm('@stdlib/ndarray')}`, options);
        return;
      }
      await s.bench(name, fn(stdlib, stdlib.ndarray('float64', raw, [ROWS, COLS], [COLS, 1], 0, 'row-major')), options);
    };

    const LOOP = 'Float64Array[i * cols + j]';
    s.group('get every element (10,000 reads)');
    await s.bench(LOOP, () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) sink += raw[i * COLS + j]!; }, { peer: true });
    await theirBench('@stdlib ndarray.get(i, j)', (_, theirs) => () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) sink += theirs.get(i, j); }, { peer: true, vs: LOOP });
    await s.bench('SharedNDArray.get(i, j)', () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) sink += ours.get(i, j); }, { vs: '@stdlib ndarray.get(i, j)' });

    const SET = 'Float64Array[i * cols + j] = v';
    s.group('set every element (10,000 writes)');
    await s.bench(SET, () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) raw[i * COLS + j] = j; }, { peer: true });
    await theirBench('@stdlib ndarray.set(i, j, v)', (_, theirs) => () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) theirs.set(i, j, j); }, { peer: true, vs: SET });
    await s.bench('SharedNDArray.set(i, j, v)', () => { for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) ours.set(i, j, j); }, { vs: '@stdlib ndarray.set(i, j, v)' });

    const FILL = 'Float64Array.fill(v, start, end)';
    s.group('fill each of the 100 rows');
    await s.bench(FILL, () => { for (let i = 0; i < ROWS; i++) raw.fill(i, i * COLS, (i + 1) * COLS); }, { peer: true });
    await theirBench('@stdlib fillSlice(x, v, i, null)', (lib, theirs) => () => { for (let i = 0; i < ROWS; i++) lib.fillSlice(theirs, i, i, null); }, { peer: true, vs: FILL });
    await s.bench('SharedNDArray.row(i).fill(v)', () => { for (let i = 0; i < ROWS; i++) ours.row(i).fill(i); }, { vs: '@stdlib fillSlice(x, v, i, null)' });

    const SUB = 'Float64Array.subarray(100, 200)';
    s.group('create one view');
    await s.bench(SUB, () => { sink += raw.subarray(100, 200).length; }, { peer: true });
    await theirBench('@stdlib slice(x, Slice(1, 50), Slice(null, null, -2))', (lib, theirs) => {
      const s1 = new lib.Slice(1, 50, null);
      const s2 = new lib.Slice(null, null, -2);
      return () => { sink += lib.slice(theirs, s1, s2).length; };
    }, { peer: true, vs: SUB });
    await s.bench("SharedNDArray.slice('1:50', '::-2')", () => { sink += ours.slice('1:50', '::-2').size; }, { vs: '@stdlib slice(x, Slice(1, 50), Slice(null, null, -2))' });
    // stdlib has no reshape of a view: its users build a new ndarray over the same buffer.
    await theirBench("@stdlib ndarray('float64', x.data, [50, 200], …)", (lib, theirs) => () => { sink += lib.ndarray('float64', theirs.data, [50, 200], [200, 1], theirs.offset, 'row-major').length; }, { peer: true, vs: SUB });
    await s.bench('SharedNDArray.reshape(50, 200)', () => { sink += ours.reshape(50, 200).size; }, { vs: "@stdlib ndarray('float64', x.data, [50, 200], …)" });
    await theirBench('@stdlib transpose(x)', (lib, theirs) => () => { sink += lib.transpose(theirs).length; }, { peer: true, vs: SUB });
    await s.bench('SharedNDArray.T', () => { sink += ours.T.size; }, { vs: '@stdlib transpose(x)' });

    if (sink === Number.MIN_VALUE) s.note(String(sink));
    s.compare('SharedNDArray.get / @stdlib get', 'SharedNDArray.get(i, j)', '@stdlib ndarray.get(i, j)');
    s.compare('SharedNDArray.get / Float64Array loop', 'SharedNDArray.get(i, j)', LOOP);
    s.compare('SharedNDArray.set / @stdlib set', 'SharedNDArray.set(i, j, v)', '@stdlib ndarray.set(i, j, v)');
    s.compare('row(i).fill / @stdlib fillSlice', 'SharedNDArray.row(i).fill(v)', '@stdlib fillSlice(x, v, i, null)');
    s.compare('slice view / @stdlib slice', "SharedNDArray.slice('1:50', '::-2')", '@stdlib slice(x, Slice(1, 50), Slice(null, null, -2))');
    s.compare('reshape view / @stdlib re-wrap', 'SharedNDArray.reshape(50, 200)', "@stdlib ndarray('float64', x.data, [50, 200], …)");
    s.compare('T / @stdlib transpose', 'SharedNDArray.T', '@stdlib transpose(x)');
  },
};
export default suite;
