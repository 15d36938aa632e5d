/**
 * Property tests of every view operation of SharedNDArray against a small, independent reference
 * model written here: nested JS arrays of *memory cell numbers* plus a shape. The model knows
 * nothing of strides: each op is implemented on the nested arrays directly with numpy's
 * semantics (Python slice rules, index permutation, C/F flatten-and-refill, ...), and a "store"
 * (a flat list of values indexed by memory cell) stands for each distinct piece of memory (the
 * root array's, and one per copy). That lets us check values, shapes, whether a result shares
 * memory, and that writes through a view land in exactly the right cells and nowhere else.
 *
 * numpy facts the model relies on were confirmed with numpy 1.24:
 * - a reshape is a view exactly when some strides reproduce the elements of the source in the
 *   reshape order (checked by brute force below; agrees with numpy's _attempt_nocopy_reshape on
 *   20,000 random views);
 * - ravel(order) is a view only when the array is contiguous in that order (a[::2].ravel() copies);
 * - C_CONTIGUOUS/F_CONTIGUOUS: the elements, read in that order, occupy consecutive memory cells
 *   (so length-1 axes may have any stride and empty arrays are contiguous in both orders).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, CopyRequiredError, frombuffer, newaxis, NotContiguousError, SharedNDArray, zeros } from '../../src/index.js';
import type { DType, IndexSpec, Order } from '../../src/index.js';

const SEED = 0x5eed_2024;
const params = (numRuns: number) => ({ seed: SEED, numRuns });

// ============================================================================================
// Reference model
// ============================================================================================

type Scalar = number | bigint | boolean;
/** Nested arrays of memory-cell numbers; a 0-d model is a bare number. */
type Refs = number | Refs[];
interface Store { readonly id: number; readonly values: Scalar[] }
interface Model { readonly shape: readonly number[]; readonly refs: Refs; readonly store: Store }

let storeIds = 0;
const newStore = (values: Scalar[]): Store => ({ id: storeIds++, values });

const prod = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Every multi-index of `shape`, C order (last axis fastest) or F order (first axis fastest). */
function allIndices(shape: readonly number[], order: Order): number[][] {
  const out: number[][] = [];
  const n = shape.length, total = prod(shape);
  if (total === 0) return out;
  const idx = new Array<number>(n).fill(0);
  for (let k = 0; k < total; k++) {
    out.push([...idx]);
    for (let j = 0; j < n; j++) {
      const a = order === 'C' ? n - 1 - j : j;
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** Position of `idx` when the elements of `shape` are listed in `order`. */
function linearIndex(idx: readonly number[], shape: readonly number[], order: Order): number {
  let r = 0;
  if (order === 'C') for (let a = 0; a < shape.length; a++) r = r * shape[a]! + idx[a]!;
  else for (let a = shape.length - 1; a >= 0; a--) r = r * shape[a]! + idx[a]!;
  return r;
}

/**
 * Nested refs of `shape`, `f` giving each element's cell. `f` gets one index array, changed in
 * place as the walk goes on, so it must not keep it: a fresh array per element (and per level)
 * was the largest cost of the model.
 */
function build(shape: readonly number[], f: (idx: number[]) => number): Refs {
  const idx: number[] = [];
  const rec = (): Refs => {
    const depth = idx.length;
    if (depth === shape.length) return f(idx);
    const out: Refs[] = [];
    for (let i = 0; i < shape[depth]!; i++) {
      idx.push(i);
      out.push(rec());
      idx.pop();
    }
    return out;
  };
  return rec();
}

function refAt(refs: Refs, idx: readonly number[]): number {
  let r: Refs = refs;
  for (const i of idx) {
    if (!Array.isArray(r) || i < 0 || i >= r.length) throw new Error(`model: bad index ${JSON.stringify(idx)}`);
    r = r[i]!;
  }
  if (typeof r !== 'number') throw new Error(`model: index ${JSON.stringify(idx)} too short`);
  return r;
}

const flatRefs = (m: Model, order: Order): number[] => allIndices(m.shape, order).map((i) => refAt(m.refs, i));

function valuesOf(m: Model): unknown {
  const rec = (r: Refs): unknown => (typeof r === 'number' ? m.store.values[r] : r.map(rec));
  return rec(m.refs);
}

/** numpy's contiguity flag, by definition: read in `order`, the elements sit in consecutive cells. */
function modelContiguous(m: Model, order: Order): boolean {
  const flat = flatRefs(m, order);
  return flat.every((r, k) => r === flat[0]! + k);
}

/** Whether some strides present the elements `flat` (read in `order`) in `shape`: brute force. */
function viewPossible(flat: readonly number[], shape: readonly number[], order: Order): boolean {
  if (flat.length === 0) return true;
  const strides = shape.map((d, j) => {
    if (d <= 1) return 0;
    const unit = shape.map((_, i) => (i === j ? 1 : 0));
    return flat[linearIndex(unit, shape, order)]! - flat[0]!;
  });
  return allIndices(shape, order).every((idx, k) => flat[k] === flat[0]! + idx.reduce((s, i, j) => s + i * strides[j]!, 0));
}

/** Python's slice(start, stop, step) applied to range(len), as a list of the selected indices. */
function pySlice(len: number, start: number | undefined, stop: number | undefined, step: number | undefined): number[] {
  const st = step ?? 1;
  if (st === 0) throw new Error('model: zero step');
  // CPython PySlice_AdjustIndices: clip to [0, len] going up, to [-1, len - 1] going down
  const lower = st > 0 ? 0 : -1, upper = st > 0 ? len : len - 1;
  const clip = (v: number | undefined, dflt: number): number =>
    (v === undefined ? dflt : v < 0 ? Math.max(v + len, lower) : Math.min(v, upper));
  const b = clip(start, st > 0 ? lower : upper), e = clip(stop, st > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = b; st > 0 ? i < e : i > e; i += st) out.push(i);
  return out;
}

const INT_STRING = /^\s*[+-]?\d+\s*$/;

function modelSlice(m: Model, specs: readonly IndexSpec[]): Model {
  const nd = m.shape.length;
  const consumes = (s: IndexSpec) => s !== newaxis && s !== '...';
  const consumed = specs.filter(consumes).length;
  const expanded: IndexSpec[] = [];
  for (const s of specs) {
    if (s === '...') for (let j = 0; j < nd - consumed; j++) expanded.push(':');
    else expanded.push(s);
  }
  for (let used = expanded.filter(consumes).length; used < nd; used++) expanded.push(':');
  type Part = { kind: 'new' } | { kind: 'fix'; i: number } | { kind: 'range'; idx: number[] };
  const parts: Part[] = [];
  let axis = 0;
  const num = (t: string | undefined) => (t === undefined || t.trim() === '' ? undefined : Number(t));
  for (const s of expanded) {
    if (s === newaxis) { parts.push({ kind: 'new' }); continue; }
    const len = m.shape[axis++]!;
    if (typeof s === 'number' || (typeof s === 'string' && INT_STRING.test(s))) {
      let i = Number(s);
      if (i < 0) i += len;
      if (i < 0 || i >= len) throw new Error('model: integer index out of range');
      parts.push({ kind: 'fix', i });
    } else if (s === null || s === ':') {
      parts.push({ kind: 'range', idx: pySlice(len, undefined, undefined, undefined) });
    } else {
      const [a, b, c] = String(s).split(':');
      parts.push({ kind: 'range', idx: pySlice(len, num(a), num(b), num(c)) });
    }
  }
  const shape = parts.flatMap((p) => (p.kind === 'new' ? [1] : p.kind === 'range' ? [p.idx.length] : []));
  const refs = build(shape, (out) => {
    const src: number[] = [];
    let o = 0;
    for (const p of parts) {
      if (p.kind === 'new') o++;
      else if (p.kind === 'fix') src.push(p.i);
      else src.push(p.idx[out[o++]!]!);
    }
    return refAt(m.refs, src);
  });
  return { shape, refs, store: m.store };
}

function modelRow(m: Model, i: number): Model {
  const len = m.shape[0]!;
  const j = i < 0 ? i + len : i;
  return { shape: m.shape.slice(1), refs: (m.refs as Refs[])[j]!, store: m.store };
}

function modelTranspose(m: Model, axes: readonly number[] | null): Model {
  const nd = m.shape.length;
  const perm = axes === null ? [...Array(nd).keys()].reverse() : axes.map((a) => (a < 0 ? a + nd : a));
  const shape = perm.map((a) => m.shape[a]!);
  const refs = build(shape, (out) => {
    const src = new Array<number>(nd);
    perm.forEach((a, i) => { src[a] = out[i]!; });
    return refAt(m.refs, src);
  });
  return { shape, refs, store: m.store };
}

function modelSqueeze(m: Model, axis: number | readonly number[] | undefined): Model {
  const nd = m.shape.length;
  const drop = axis === undefined
    ? [...Array(nd).keys()].filter((a) => m.shape[a] === 1)
    : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + nd : a));
  const shape = m.shape.filter((_, a) => !drop.includes(a));
  const refs = build(shape, (out) => {
    const src: number[] = [];
    for (let a = 0, o = 0; a < nd; a++) src.push(drop.includes(a) ? 0 : out[o++]!);
    return refAt(m.refs, src);
  });
  return { shape, refs, store: m.store };
}

function modelExpandDims(m: Model, axis: number | readonly number[]): Model {
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const outNd = m.shape.length + list.length;
  const pos = list.map((a) => (a < 0 ? a + outNd : a));
  const shape: number[] = [];
  for (let a = 0, s = 0; a < outNd; a++) shape.push(pos.includes(a) ? 1 : m.shape[s++]!);
  const refs = build(shape, (out) => refAt(m.refs, out.filter((_, a) => !pos.includes(a))));
  return { shape, refs, store: m.store };
}

/** A copy of the elements read in `order`, laid out in `order` in a fresh store, shaped `shape`. */
function modelCopyInto(m: Model, order: Order, shape: readonly number[]): Model {
  const flat = flatRefs(m, order);
  const store = newStore(flat.map((r) => m.store.values[r]!));
  return { shape: [...shape], refs: build(shape, (idx) => linearIndex(idx, shape, order)), store };
}

/** The elements read in `order`, refilled into `shape` in `order`, over the same store. */
function modelReshapeView(m: Model, order: Order, shape: readonly number[]): Model {
  const flat = flatRefs(m, order);
  return { shape: [...shape], refs: build(shape, (idx) => flat[linearIndex(idx, shape, order)]!), store: m.store };
}

// ============================================================================================
// Concrete operations (what is called on both sides)
// ============================================================================================

type Op =
  | { kind: 'slice'; specs: IndexSpec[] }
  | { kind: 'row'; i: number }
  | { kind: 'transpose'; form: 'none' | 'T' | 'args' | 'array'; axes: number[] | null }
  | { kind: 'reshape'; shape: number[]; expected: number[]; order: Order | null; copy: boolean | null; form: 'args' | 'array' }
  | { kind: 'squeeze'; axis: number | number[] | undefined }
  | { kind: 'expandDims'; axis: number | number[] }
  | { kind: 'ravel' | 'flatten' | 'copy'; order: Order | null };

const showSpec = (s: IndexSpec): string => (s === newaxis ? 'newaxis' : JSON.stringify(s));

function describeOp(op: Op): string {
  const ord = (o: Order | null) => (o === null ? '' : `'${o}'`);
  switch (op.kind) {
    case 'slice': return `.slice(${op.specs.map(showSpec).join(', ')})`;
    case 'row': return `.row(${op.i})`;
    case 'transpose':
      return op.form === 'T' ? '.T' : op.form === 'none' ? '.transpose()'
        : op.form === 'args' ? `.transpose(${op.axes!.join(', ')})` : `.transpose([${op.axes!.join(', ')}])`;
    case 'reshape': {
      const opts = op.order === null && op.copy === null ? []
        : [`{${op.order === null ? '' : ` order: '${op.order}'`}${op.copy === null ? '' : ` copy: ${op.copy}`} }`];
      const dims = op.form === 'array' ? [`[${op.shape.join(', ')}]`] : op.shape.map(String);
      return `.reshape(${[...dims, ...opts].join(', ')})`;
    }
    case 'squeeze': return `.squeeze(${op.axis === undefined ? '' : JSON.stringify(op.axis)})`;
    case 'expandDims': return `.expandDims(${JSON.stringify(op.axis)})`;
    default: return `.${op.kind}(${ord(op.order)})`;
  }
}

function applyLib(v: SharedNDArray, op: Op): SharedNDArray {
  switch (op.kind) {
    case 'slice': return v.slice(...op.specs);
    case 'row': return v.row(op.i);
    case 'transpose':
      if (op.form === 'T') return v.T;
      if (op.form === 'none') return v.transpose();
      return op.form === 'args' ? v.transpose(...op.axes!) : v.transpose(op.axes!);
    case 'reshape': {
      const opts = op.order === null && op.copy === null ? null : {
        ...(op.order === null ? {} : { order: op.order }), ...(op.copy === null ? {} : { copy: op.copy }),
      };
      if (op.form === 'array') return opts ? v.reshape(op.shape, opts) : v.reshape(op.shape);
      return opts ? v.reshape(...op.shape, opts) : v.reshape(...op.shape);
    }
    case 'squeeze': return op.axis === undefined ? v.squeeze() : v.squeeze(op.axis);
    case 'expandDims': return v.expandDims(op.axis);
    case 'ravel': return op.order === null ? v.ravel() : v.ravel(op.order);
    case 'flatten': return op.order === null ? v.flatten() : v.flatten(op.order);
    case 'copy': return op.order === null ? v.copy() : v.copy(op.order);
  }
}

/** The model's result: a view of the same store, a fresh copy, or numpy's "copy required" refusal. */
type ModelResult = { model: Model; fresh: boolean } | 'copyRequired';

function applyModel(m: Model, op: Op): ModelResult {
  const view = (model: Model) => ({ model, fresh: false });
  switch (op.kind) {
    case 'slice': return view(modelSlice(m, op.specs));
    case 'row': return view(modelRow(m, op.i));
    case 'transpose': return view(modelTranspose(m, op.form === 'T' || op.form === 'none' ? null : op.axes));
    case 'squeeze': return view(modelSqueeze(m, op.axis));
    case 'expandDims': return view(modelExpandDims(m, op.axis));
    case 'reshape': {
      const order = op.order ?? 'C';
      const possible = viewPossible(flatRefs(m, order), op.expected, order);
      if (op.copy === false && !possible) return 'copyRequired';
      if (op.copy !== true && possible) return view(modelReshapeView(m, order, op.expected));
      return { model: modelCopyInto(m, order, op.expected), fresh: true };
    }
    case 'ravel': {
      const order = op.order ?? 'C';
      const size = prod(m.shape);
      return modelContiguous(m, order)
        ? view(modelReshapeView(m, order, [size]))
        : { model: modelCopyInto(m, order, [size]), fresh: true };
    }
    case 'flatten': return { model: modelCopyInto(m, op.order ?? 'C', [prod(m.shape)]), fresh: true };
    case 'copy': return { model: modelCopyInto(m, op.order ?? 'C', m.shape), fresh: true };
  }
}

// ============================================================================================
// Recipes: shape-independent random data, resolved into a valid Op for the current shape
// ============================================================================================

type ItemRecipe =
  | { t: 'int'; r: number; str: boolean }
  | { t: 'range'; start: number | null; stop: number | null; step: number | null; trailingColon: boolean }
  | { t: 'lit'; s: string }
  | { t: 'null' };
interface SliceRecipe { kind: 'slice'; items: ItemRecipe[]; ellipsis: number | null; newaxes: number[] }
interface RowRecipe { kind: 'row'; r: number }
interface TransposeRecipe { kind: 'transpose'; keys: number[]; form: 'none' | 'T' | 'args' | 'array'; negative: boolean[] }
interface ReshapeRecipe {
  /** local: split/merge/insert/drop axes of the current shape (views stay possible more often); else random factors */
  kind: 'reshape'; local: boolean; ndim: number; seeds: number[]; infer: number | null; order: Order | null; copy: boolean | null;
  form: 'args' | 'array';
}
interface SqueezeRecipe { kind: 'squeeze'; all: boolean; picks: boolean[]; negative: boolean; asNumber: boolean }
interface ExpandRecipe { kind: 'expandDims'; picks: number[]; negative: boolean; asNumber: boolean }
interface OrderRecipe { kind: 'ravel' | 'flatten' | 'copy'; order: Order | null }
type Recipe = SliceRecipe | RowRecipe | TransposeRecipe | ReshapeRecipe | SqueezeRecipe | ExpandRecipe | OrderRecipe;

const LITERALS = [':', '::', '::-1', '3:0:-2', '-1::-1', '-10:10', '10:-10:-1', '::2', '1::2', '-2:', ':-1', '5:1:-1', '-100:-50', '::-3'];

const orderArb = fc.constantFrom<Order | null>('C', 'F', null);

const itemArb: fc.Arbitrary<ItemRecipe> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('int' as const), r: fc.integer({ min: -9, max: 9 }), str: fc.integer({ min: 0, max: 4 }).map((x) => x === 0) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('range' as const),
      start: fc.option(fc.integer({ min: -7, max: 7 })),
      stop: fc.option(fc.integer({ min: -7, max: 7 })),
      step: fc.option(fc.constantFrom(1, 2, 3, -1, -2, -3)),
      trailingColon: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('lit' as const), s: fc.constantFrom(...LITERALS) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('null' as const) }) },
);

const sliceRecipeArb: fc.Arbitrary<SliceRecipe> = fc.record({
  kind: fc.constant('slice' as const),
  items: fc.array(itemArb, { maxLength: 6 }),
  ellipsis: fc.option(fc.nat({ max: 6 })),
  newaxes: fc.array(fc.nat({ max: 7 }), { maxLength: 2 }),
});
/** Slices that step and reverse but rarely empty an axis, to make non-contiguous views. */
const stridedSliceArb: fc.Arbitrary<SliceRecipe> = fc.record({
  kind: fc.constant('slice' as const),
  items: fc.array(
    fc.record({ t: fc.constant('lit' as const), s: fc.constantFrom('::2', '1::2', '::-1', '::-2', '-2::-1', '1:', ':-1', ':', '::3', '1:3', '-3:') }),
    { minLength: 1, maxLength: 5 },
  ),
  ellipsis: fc.constant(null),
  newaxes: fc.array(fc.nat({ max: 7 }), { maxLength: 1 }),
});
const rowRecipeArb: fc.Arbitrary<RowRecipe> = fc.record({ kind: fc.constant('row' as const), r: fc.integer({ min: -9, max: 9 }) });
const transposeRecipeArb: fc.Arbitrary<TransposeRecipe> = fc.record({
  kind: fc.constant('transpose' as const),
  keys: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 8, maxLength: 8 }),
  form: fc.constantFrom('none' as const, 'T' as const, 'args' as const, 'array' as const),
  negative: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
});
const reshapeRecipeArb: fc.Arbitrary<ReshapeRecipe> = fc.record({
  kind: fc.constant('reshape' as const),
  local: fc.boolean(),
  ndim: fc.integer({ min: 0, max: 5 }),
  seeds: fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }),
  infer: fc.option(fc.nat({ max: 10 }), { freq: 3 }),
  order: orderArb,
  copy: fc.constantFrom<boolean | null>(null, null, false, true),
  form: fc.constantFrom('args' as const, 'array' as const),
});
const squeezeRecipeArb: fc.Arbitrary<SqueezeRecipe> = fc.record({
  kind: fc.constant('squeeze' as const),
  all: fc.boolean(),
  picks: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  negative: fc.boolean(),
  asNumber: fc.boolean(),
});
const expandRecipeArb: fc.Arbitrary<ExpandRecipe> = fc.record({
  kind: fc.constant('expandDims' as const),
  picks: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 2 }),
  negative: fc.boolean(),
  asNumber: fc.boolean(),
});
const orderRecipeArb = (kind: OrderRecipe['kind']): fc.Arbitrary<OrderRecipe> => fc.record({ kind: fc.constant(kind), order: orderArb });

/** Operations that always return views, with their weights. */
const viewRecipes: Array<{ weight: number; arbitrary: fc.Arbitrary<Recipe> }> = [
  { weight: 6, arbitrary: sliceRecipeArb },
  { weight: 3, arbitrary: stridedSliceArb },
  { weight: 2, arbitrary: rowRecipeArb },
  { weight: 3, arbitrary: transposeRecipeArb },
  { weight: 2, arbitrary: squeezeRecipeArb },
  { weight: 2, arbitrary: expandRecipeArb },
];
/** Every operation, views and (possible) copies. */
const anyRecipeArb: fc.Arbitrary<Recipe> = fc.oneof(
  ...viewRecipes,
  { weight: 4, arbitrary: reshapeRecipeArb },
  { weight: 2, arbitrary: orderRecipeArb('ravel') },
  { weight: 1, arbitrary: orderRecipeArb('flatten') },
  { weight: 1, arbitrary: orderRecipeArb('copy') },
);

const mod = (a: number, n: number) => ((a % n) + n) % n;

function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; n > 1; p++) while (n % p === 0) { out.push(p); n /= p; }
  return out;
}

/** A concrete op valid for an array of `shape`, or null when the recipe cannot apply (row of an empty axis). */
function resolve(rec: Recipe, shape: readonly number[]): Op | null {
  const nd = shape.length;
  switch (rec.kind) {
    case 'slice': {
      const k = Math.min(rec.items.length, nd);
      const p = rec.ellipsis === null ? null : rec.ellipsis % (k + 1);
      // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every item.t (tsc checks it)
      const specs: IndexSpec[] = rec.items.slice(0, k).map((item, j) => {
        const axis = p === null || j < p ? j : nd - k + j;
        const len = shape[axis]!;
        switch (item.t) {
          case 'int': {
            if (len === 0) return ':';
            const i = mod(item.r, 2 * len) - len; // in [-len, len - 1]
            return item.str ? String(i) : i;
          }
          case 'range':
            return `${item.start ?? ''}:${item.stop ?? ''}${item.step !== null ? `:${item.step}` : item.trailingColon ? ':' : ''}`;
          case 'lit': return item.s;
          case 'null': return null;
        }
      });
      if (p !== null) specs.splice(p, 0, '...');
      for (const r of rec.newaxes) specs.splice(r % (specs.length + 1), 0, newaxis);
      return { kind: 'slice', specs };
    }
    case 'row': {
      if (nd === 0 || shape[0] === 0) return null;
      return { kind: 'row', i: mod(rec.r, 2 * shape[0]!) - shape[0]! };
    }
    case 'transpose': {
      const perm = [...Array(nd).keys()].sort((a, b) => rec.keys[a]! - rec.keys[b]! || a - b)
        .map((a, i) => (rec.negative[i] ? a - nd : a));
      return { kind: 'transpose', form: rec.form, axes: rec.form === 'none' || rec.form === 'T' ? null : perm };
    }
    case 'reshape': {
      const size = prod(shape);
      let dims: number[];
      if (rec.local) {
        dims = [];
        for (let a = 0; a < nd; a++) {
          const d = shape[a]!, choice = (rec.seeds[a % rec.seeds.length]! + a) % 5;
          const f = primeFactors(d)[0];
          if (choice === 0 && a + 1 < nd) dims.push(d * shape[++a]!); // merge with the next axis
          else if (choice === 1 && f !== undefined && f < d) dims.push(f, d / f); // split
          else if (choice === 2) dims.push(1, d); // insert a new axis
          else if (choice !== 3 || d !== 1) dims.push(d); // keep (choice 3 drops length-1 axes)
        }
      } else if (size > 0) {
        const k = size > 1 ? Math.max(rec.ndim, 1) : rec.ndim;
        dims = new Array<number>(k).fill(1);
        primeFactors(size).forEach((f, i) => { dims[rec.seeds[i % rec.seeds.length]! % k]! *= f; });
      } else {
        const k = Math.max(rec.ndim, 1);
        dims = rec.seeds.slice(0, k).map((s) => s % 5);
        dims[rec.seeds[7]! % k] = 0;
      }
      const given = [...dims];
      if (rec.infer !== null && dims.length > 0) {
        const j = rec.infer % dims.length;
        if (prod(dims.filter((_, i) => i !== j)) !== 0) given[j] = -1;
      }
      return { kind: 'reshape', shape: given, expected: dims, order: rec.order, copy: rec.copy, form: rec.form };
    }
    case 'squeeze': {
      if (rec.all) return { kind: 'squeeze', axis: undefined };
      const ones = [...Array(nd).keys()].filter((a, i) => shape[a] === 1 && rec.picks[i]).map((a) => (rec.negative ? a - nd : a));
      return { kind: 'squeeze', axis: rec.asNumber && ones.length === 1 ? ones[0]! : ones };
    }
    case 'expandDims': {
      const outNd = nd + rec.picks.length;
      const free = [...Array(outNd).keys()];
      const pos = rec.picks.map((r) => free.splice(r % free.length, 1)[0]!).map((a) => (rec.negative ? a - outNd : a));
      return { kind: 'expandDims', axis: rec.asNumber && pos.length === 1 ? pos[0]! : pos };
    }
    default:
      return { kind: rec.kind, order: rec.order };
  }
}

/** A chain that usually starts with a stepping slice, so the source is often non-contiguous. */
const sourceArb: fc.Arbitrary<Recipe[]> = fc
  .tuple(fc.option(stridedSliceArb, { freq: 5 }), fc.option(transposeRecipeArb), fc.array(anyRecipeArb, { maxLength: 2 }))
  .map(([first, second, rest]) => [...(first ? [first] : []), ...(second ? [second] : []), ...rest]);

// ============================================================================================
// Dtypes and values
// ============================================================================================

const ALL_DTYPES: DType[] = ['int8', 'uint8', 'uint8c', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'bool'];
const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127], uint8: [0, 255], uint8c: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1],
};

function valueArb(d: DType): fc.Arbitrary<Scalar> {
  const r = INT_RANGE[d];
  if (r) return fc.integer({ min: r[0], max: r[1] });
  switch (d) {
    case 'int64': return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'uint64': return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'float32': return fc.float(); // float32-representable, incl. -0, NaN, +-Infinity
    case 'float64': return fc.double();
    default: return fc.boolean();
  }
}

/** The k-th of a run of pairwise distinct (as far as the dtype allows) values valid for `d`. */
function distinctValue(d: DType, k: number, salt: number): Scalar {
  const r = INT_RANGE[d];
  if (r) return r[0] + mod(salt + k * 7, r[1] - r[0] + 1);
  switch (d) {
    case 'int64': return BigInt(salt + k) * 7919n - 2n ** 62n;
    case 'uint64': return BigInt(salt + k) * 7919n + 2n ** 63n;
    case 'float32': return -(salt + k) - 0.25;
    case 'float64': return (salt + k) * 1.5 + 0.1;
    default: return mod(salt + k, 3) !== 0;
  }
}

/** distinctValue(), but never equal to `current` (for bool: its negation). */
function differentValue(d: DType, k: number, salt: number, current: Scalar): Scalar {
  if (d === 'bool') return !current;
  const v = distinctValue(d, k, salt);
  return Object.is(v, current) ? distinctValue(d, k + 100_000, salt) : v;
}

// zero-length axes are rare on purpose: one of them empties the whole array, and write checks on
// an empty array check nothing
const lengthArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 7, arbitrary: fc.constant(1) }, { weight: 32, arbitrary: fc.integer({ min: 2, max: 4 }) });
const ndimArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(1) }, { weight: 3, arbitrary: fc.integer({ min: 2, max: 3 }) },
  { weight: 3, arbitrary: fc.integer({ min: 4, max: 5 }) },
);
const shapeArb = ndimArb.chain((nd) => fc.array(lengthArb, { minLength: nd, maxLength: nd }));

/**
 * How the root array sits in memory:
 * - array: `array(nested, dtype, order)` (or `zeros` for an empty shape), its own buffer;
 * - frombuffer: `frombuffer(sab, { offset, count }).reshape(shape, { order })` with padding cells
 *   before and after it in the buffer;
 * - strided: the low-level constructor with element strides that permute the axes, may be
 *   negative and may leave holes, inside padding.
 * For the last two the whole buffer is checked after every write, so a stray write into padding
 * or a hole is caught.
 */
type Layout =
  | { kind: 'array' }
  | { kind: 'frombuffer'; pad: number; pad2: number }
  | { kind: 'strided'; pad: number; pad2: number; keys: number[]; gaps: boolean[]; negative: boolean[] };

interface BaseCase { dtype: DType; shape: number[]; order: Order; layout: Layout; values: Scalar[]; fill: Scalar; salt: number }

const layoutArb: fc.Arbitrary<Layout> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'array' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('frombuffer' as const), pad: fc.nat({ max: 3 }), pad2: fc.nat({ max: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('strided' as const),
      pad: fc.nat({ max: 3 }),
      pad2: fc.nat({ max: 3 }),
      keys: fc.array(fc.nat({ max: 9 }), { minLength: 5, maxLength: 5 }),
      gaps: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      negative: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    }),
  },
);

const baseArb: fc.Arbitrary<BaseCase> = fc
  .record({ dtype: fc.constantFrom(...ALL_DTYPES), shape: shapeArb, order: fc.constantFrom<Order>('C', 'F'), layout: layoutArb })
  .chain(({ dtype, shape, order, layout }) => fc.record({
    values: fc.array(valueArb(dtype), { minLength: prod(shape), maxLength: prod(shape) }),
    fill: valueArb(dtype),
    salt: fc.nat({ max: 1000 }),
  }).map((r) => ({ dtype, shape, order, layout, ...r })));

const ITEMSIZE: Record<DType, number> = {
  int8: 1, uint8: 1, uint8c: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8, bool: 1,
};

/** Element strides and offset (in cells) of the root, and the number of cells of its buffer. */
function rootGeometry(shape: readonly number[], order: Order, layout: Layout): { strides: number[]; offset: number; total: number } {
  const nd = shape.length;
  if (layout.kind !== 'strided') {
    const strides = shape.map((_, a) => prod(order === 'C' ? shape.slice(a + 1) : shape.slice(0, a)));
    const pad = layout.kind === 'array' ? 0 : layout.pad, pad2 = layout.kind === 'array' ? 0 : layout.pad2;
    return { strides, offset: pad, total: pad + prod(shape) + pad2 };
  }
  // axes from innermost to outermost in a random order; a gap doubles the step
  const inner = [...Array(nd).keys()].sort((a, b) => layout.keys[a]! - layout.keys[b]! || a - b);
  const strides = new Array<number>(nd).fill(0);
  let step = 1;
  for (const a of inner) {
    strides[a] = step * (layout.gaps[a] ? 2 : 1);
    step = strides[a]! * Math.max(shape[a]!, 1);
  }
  inner.forEach((a) => { if (layout.negative[a]) strides[a] = -strides[a]!; });
  let lo = 0, hi = 0;
  shape.forEach((d, a) => { const reach = (Math.max(d, 1) - 1) * strides[a]!; if (reach < 0) lo += reach; else hi += reach; });
  const offset = layout.pad - lo;
  return { strides, offset, total: offset + hi + 1 + layout.pad2 };
}

// ============================================================================================
// Harness
// ============================================================================================

/** Exact equality of nested values: Object.is on leaves (NaN equals NaN, -0 differs from +0). */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  return !Array.isArray(b) && Object.is(a, b);
}

/**
 * The messages are functions, called on a failure only: the checks run hundreds of thousands of
 * times, and an expect() (tens of microseconds) and a message built (the trace joined) for each
 * were a third of this file's time.
 */
function expectSame(actual: unknown, expected: unknown, message: () => string): void {
  if (same(actual, expected)) return;
  expect(actual, message()).toEqual(expected);
  throw new Error(`${message()}: values differ (in the sign of a zero?): ${String(actual)} vs ${String(expected)}`);
}

/** `expect(actual, message()).toBe(expected)`, with expect() and the message made on a failure only. */
function expectIs(actual: unknown, expected: unknown, message: () => string): void {
  if (!Object.is(actual, expected)) expect(actual, message()).toBe(expected);
}

/**
 * One test case's arrays and model: every piece of memory (the root's and each copy's) is an
 * "owner" whose whole contents are compared with its model store after writes.
 */
class World {
  readonly owners = new Map<Store, { arr: SharedNDArray; model: Model }>();
  trace: string[] = [];
  readonly root: SharedNDArray;
  readonly rootModel: Model;
  readonly dtype: DType;

  constructor(base: BaseCase) {
    const { dtype, shape, order, layout, values, salt } = base;
    this.dtype = dtype;
    const { strides, offset, total } = rootGeometry(shape, order, layout);
    const cell = (idx: readonly number[]) => idx.reduce((p, i, a) => p + i * strides[a]!, offset);
    // every cell of the buffer: the root's values where the root is, filler elsewhere
    const memory = Array.from({ length: total }, (_, k) => distinctValue(dtype, k, salt + 17));
    allIndices(shape, 'C').forEach((idx, k) => { memory[cell(idx)] = values[k]!; });
    const store = newStore(memory);
    this.rootModel = { shape: [...shape], refs: build(shape, cell), store };
    if (layout.kind === 'array') {
      const nested = valuesOf({ shape, refs: build(shape, (idx) => linearIndex(idx, shape, 'C')), store: newStore(values) });
      // (nested input cannot express axes after a zero-length one, as in numpy: use zeros() then)
      this.root = prod(shape) === 0 ? zeros(shape, dtype, order) : array(nested, dtype, order);
      this.trace = [`array(<${values.length} values>, '${dtype}', '${order}') of shape [${shape.join(', ')}]`];
      this.owners.set(store, { arr: this.root, model: this.rootModel });
    } else {
      const size = ITEMSIZE[dtype];
      const buffer = new SharedArrayBuffer(total * size);
      const whole = frombuffer(buffer, { dtype });
      for (const [k, v] of memory.entries()) whole.set(k, v as never);
      if (layout.kind === 'frombuffer') {
        this.root = frombuffer(buffer, { dtype, offset: offset * size, count: prod(shape) }).reshape(shape, { order });
        this.trace = [`frombuffer(<${total} cells>, { dtype: '${dtype}', offset: ${offset * size}, count: ${prod(shape)} }).reshape([${shape.join(', ')}], { order: '${order}' })`];
      } else {
        this.root = new SharedNDArray(shape, { dtype, buffer, strides, byteOffset: offset * size });
        this.trace = [`new SharedNDArray([${shape.join(', ')}], { dtype: '${dtype}', buffer: <${total} cells>, strides: [${strides.join(', ')}], byteOffset: ${offset * size} })`];
      }
      this.owners.set(store, { arr: whole, model: { shape: [total], refs: build([total], (i) => i[0]!), store } });
      // the root must show the values it was given
      expectSame(this.root.toArray(), valuesOf(this.rootModel), () => `${this.where}: root values`);
    }
  }

  get where(): string { return this.trace.join(''); }

  /** Applies `op` to both sides, checking shape, values and memory sharing; returns the new pair. */
  step(v: SharedNDArray, m: Model, op: Op): [SharedNDArray, Model] {
    this.trace.push(describeOp(op));
    const res = applyModel(m, op);
    if (res === 'copyRequired') {
      expect(() => applyLib(v, op), `${this.where} must throw CopyRequiredError`).toThrow(CopyRequiredError);
      this.trace.push(' [threw CopyRequiredError]');
      return [v, m];
    }
    const out = applyLib(v, op);
    expectSame([...out.shape], res.model.shape, () => `${this.where}: shape`);
    expectIs(out.ndim, res.model.shape.length, () => `${this.where}: ndim`);
    expectIs(out.size, prod(res.model.shape), () => `${this.where}: size`);
    expectIs(out.dtype, this.dtype, () => `${this.where}: dtype`);
    expectSame(out.toArray(), valuesOf(res.model), () => `${this.where}: values`);
    if (res.fresh) {
      const buffers = [...this.owners.values()].map((o) => o.arr.buffer);
      expectIs(buffers.includes(out.buffer), false, () => `${this.where}: must be a copy in fresh memory`);
      this.owners.set(res.model.store, { arr: out, model: res.model });
    } else {
      expectIs(out.buffer === v.buffer, true, () => `${this.where}: must be a view sharing memory`);
    }
    return [out, res.model];
  }

  /** Applies a chain of recipes (skipping those that cannot apply to the current shape). */
  chain(recipes: readonly Recipe[]): [SharedNDArray, Model] {
    let v = this.root, m = this.rootModel;
    for (const rec of recipes) {
      const op = resolve(rec, m.shape);
      if (op) [v, m] = this.step(v, m, op);
    }
    return [v, m];
  }

  /** Every piece of memory holds exactly what the model says. */
  checkAllMemory(what: string): void {
    for (const { arr, model } of this.owners.values()) expectSame(arr.toArray(), valuesOf(model), () => `${this.where}: ${what}: whole memory`);
  }

  /**
   * fill() then set() distinct values through `v`, mirroring the writes on the model; after each,
   * every piece of memory must match (so writes hit exactly the view's cells and nothing else).
   */
  writeThrough(v: SharedNDArray, m: Model, fill: Scalar, salt: number): void {
    expectIs(v.fill(fill as never), v, () => `${this.where}: fill returns this`);
    for (const r of flatRefs(m, 'C')) m.store.values[r] = fill;
    this.checkAllMemory(`after .fill(${String(fill)})`);
    expectSame(v.toArray(), valuesOf(m), () => `${this.where}: view after fill`);

    const idxs = allIndices(m.shape, 'C');
    if (salt % 2) idxs.reverse();
    const picked = idxs.slice(0, 200);
    picked.forEach((idx, k) => {
      const value = distinctValue(this.dtype, k, salt);
      // negative indices count from the end
      const args = (k + salt) % 3 === 0 ? idx.map((i, a) => i - m.shape[a]!) : idx;
      v.set(...args, value as never);
      m.store.values[refAt(m.refs, idx)] = value;
    });
    this.checkAllMemory('after set() of distinct values');
    expectSame(v.toArray(), valuesOf(m), () => `${this.where}: view after set`);
    for (const idx of picked) {
      expectSame(v.get(...idx), m.store.values[refAt(m.refs, idx)], () => `${this.where}: get(${idx.join(', ')})`);
    }
  }
}

// ============================================================================================
// Properties
// ============================================================================================

describe('reference model sanity', () => {
  it('pySlice follows Python on a few hand-checked cases', () => {
    expect(pySlice(5, undefined, undefined, -1)).toEqual([4, 3, 2, 1, 0]);
    expect(pySlice(5, 3, 0, -2)).toEqual([3, 1]);
    expect(pySlice(2, 3, 0, -2)).toEqual([1]);
    expect(pySlice(4, -10, 10, undefined)).toEqual([0, 1, 2, 3]);
    expect(pySlice(4, 10, -10, -1)).toEqual([3, 2, 1, 0]);
    expect(pySlice(4, -1, -5, -1)).toEqual([3, 2, 1, 0]);
    expect(pySlice(0, undefined, undefined, -1)).toEqual([]);
    expect(pySlice(3, -100, -50, undefined)).toEqual([]);
  });
});

describe('SharedNDArray views vs a nested-array reference model', () => {
  /** Applies random chains of `recipe` to a random base, then writes through the final view. */
  const chainsHold = (recipe: fc.Arbitrary<Recipe>, maxLength: number, runs: number) =>
    fc.assert(fc.property(baseArb, fc.array(recipe, { minLength: 1, maxLength }), (base, recipes) => {
      const w = new World(base);
      const [v, m] = w.chain(recipes);
      w.writeThrough(v, m, base.fill, base.salt);
    }), params(runs));

  it('slice(): numpy basic indexing with ints, start:stop:step, null, ":", "...", newaxis', () => {
    chainsHold(sliceRecipeArb, 2, 800);
  });

  it('row(), transpose()/T, squeeze(), expandDims() views', () => {
    chainsHold(fc.oneof(rowRecipeArb, transposeRecipeArb, squeezeRecipeArb, expandRecipeArb), 2, 600);
  });

  it('chains of 1-5 operations (views, reshapes, ravel, copies) keep shape, values and write-through', () => {
    chainsHold(anyRecipeArb, 5, 1000);
  });

  it('reshape(): a view exactly when numpy gives one, else a copy; copy:false never copies', () => {
    fc.assert(fc.property(baseArb, sourceArb, reshapeRecipeArb, (base, recipes, rr) => {
      const w = new World(base);
      const [src, m] = w.chain(recipes);
      const op = resolve(rr, m.shape) as Extract<Op, { kind: 'reshape' }>;
      const order = op.order ?? 'C';
      const contiguous = src.isContiguous(order);
      w.trace.push(describeOp(op));
      let r: SharedNDArray;
      try {
        r = applyLib(src, op);
      } catch (e) {
        expect(e, `${w.where}: only copy:false may throw, and only CopyRequiredError`).toBeInstanceOf(CopyRequiredError);
        expectIs(op.copy, false, () => `${w.where}: threw without copy:false`);
        expectIs(contiguous, false, () => `${w.where}: a source contiguous in ${order} order reshapes as a view`);
        // numpy: copy=False raises exactly when no view exists
        expectIs(viewPossible(flatRefs(m, order), op.expected, order), false, () => `${w.where}: a view was possible`);
        return;
      }
      expectSame([...r.shape], op.expected, () => `${w.where}: shape`);
      const viewModel = modelReshapeView(m, order, op.expected); // the values are the same either way
      expectSame(r.toArray(), valuesOf(viewModel), () => `${w.where}: values`);

      // Probe: write distinct values through every cell of the result and look at the source's memory.
      let isView: boolean;
      if (r.size > 0) {
        const cells = allIndices(op.expected, 'C');
        // each written value differs from what the cell holds, so a view always shows a change
        const written = cells.map((idx, k) => differentValue(w.dtype, k, base.salt, r.get(...idx)));
        for (const [k, idx] of cells.entries()) r.set(...idx, written[k] as never);
        const owner = w.owners.get(m.store)!;
        isView = !same(owner.arr.toArray(), valuesOf(owner.model));
        if (isView) {
          // a view: the writes must land exactly on the model's cells
          cells.forEach((idx, k) => { m.store.values[refAt(viewModel.refs, idx)] = written[k]!; });
          expectIs(r.buffer === src.buffer, true, () => `${w.where}: wrote through but has its own buffer`);
        } else {
          // a copy: holds what was written, shares nothing
          expectIs(r.buffer === src.buffer, false, () => `${w.where}: does not write through yet shares the buffer`);
          const writtenModel: Model = {
            shape: op.expected, refs: build(op.expected, (idx) => linearIndex(idx, op.expected, 'C')), store: newStore(written),
          };
          expectSame(r.toArray(), valuesOf(writtenModel), () => `${w.where}: copy holds the written values`);
        }
        w.checkAllMemory('after writing through the reshape result');
      } else {
        isView = r.buffer === src.buffer;
      }
      if (op.copy === true) expectIs(isView, false, () => `${w.where}: copy:true must copy`);
      if (op.copy === false) expectIs(isView, true, () => `${w.where}: copy:false must not copy`);
      if (op.copy !== true && contiguous) expectIs(isView, true, () => `${w.where}: source is ${order}-contiguous, must be a view`);
      // numpy: a view exactly when strides can express the result
      const expectedView = op.copy !== true && viewPossible(flatRefs(m, order), op.expected, order);
      expectIs(isView, expectedView, () => `${w.where}: view (true) or copy (false) as numpy`);
    }), params(1000));
  });

  it("isContiguous('C' | 'F') is numpy's relaxed C_CONTIGUOUS / F_CONTIGUOUS flag", () => {
    fc.assert(fc.property(baseArb, sourceArb, (base, recipes) => {
      const w = new World(base);
      const [v, m] = w.chain(recipes);
      const c = modelContiguous(m, 'C'), f = modelContiguous(m, 'F');
      expectIs(v.isContiguous('C'), c, () => `${w.where}: isContiguous('C')`);
      expectIs(v.isContiguous('F'), f, () => `${w.where}: isContiguous('F')`);
      expectIs(v.isContiguous(), c, () => `${w.where}: isContiguous()`);
      // `data`: exactly the view's elements in memory order when contiguous, else NotContiguousError
      if (c || f) {
        const data = Array.from(v.data as ArrayLike<number | bigint>, (x) => (w.dtype === 'bool' ? x !== 0 : x));
        expectSame(data, flatRefs(m, c ? 'C' : 'F').map((r) => m.store.values[r]!), () => `${w.where}: data`);
      } else {
        expect(() => v.data, `${w.where}: data of a non-contiguous view`).toThrow(NotContiguousError);
      }
    }), params(800));
  });

  it('copy(order), flatten(order), ravel(order): values in order, contiguity, sharing', () => {
    fc.assert(fc.property(baseArb, sourceArb, orderArb, (base, recipes, ord) => {
      const w = new World(base);
      const [v, m] = w.chain(recipes);
      const order = ord ?? 'C';
      const size = prod(m.shape);
      const flatValues = flatRefs(m, order).map((r) => m.store.values[r]!);
      const where = `${w.where} (order ${ord ?? 'default'})`;

      const c = ord === null ? v.copy() : v.copy(ord);
      expectSame([...c.shape], m.shape, () => `${where}.copy: shape`);
      expectSame(c.toArray(), valuesOf(m), () => `${where}.copy: values`);
      expectIs(c.isContiguous(order), true, () => `${where}.copy: contiguous in ${order}`);
      expectIs(c.buffer === v.buffer, false, () => `${where}.copy: fresh memory`);
      // C-order copy of anything is C-contiguous; its F-contiguity is the model's
      const cModel = modelCopyInto(m, order, m.shape);
      expectIs(c.isContiguous('C'), modelContiguous(cModel, 'C'), () => `${where}.copy: isContiguous('C')`);
      expectIs(c.isContiguous('F'), modelContiguous(cModel, 'F'), () => `${where}.copy: isContiguous('F')`);

      const f = ord === null ? v.flatten() : v.flatten(ord);
      expectSame([...f.shape], [size], () => `${where}.flatten: shape`);
      expectSame(f.toArray(), flatValues, () => `${where}.flatten: values`);
      expectIs(f.isContiguous('C') && f.isContiguous('F'), true, () => `${where}.flatten: contiguous`);
      expectIs(f.buffer === v.buffer, false, () => `${where}.flatten: fresh memory`);

      // copies must not write through
      if (size > 0) {
        c.fill(distinctValue(w.dtype, 1, base.salt) as never);
        f.fill(distinctValue(w.dtype, 2, base.salt) as never);
        w.checkAllMemory('after filling copy() and flatten() results');
      }

      const r = ord === null ? v.ravel() : v.ravel(ord);
      expectSame([...r.shape], [size], () => `${where}.ravel: shape`);
      expectSame(r.toArray(), flatValues, () => `${where}.ravel: values`);
      expectIs(r.isContiguous('C') && r.isContiguous('F'), true, () => `${where}.ravel: contiguous`);
      const shouldView = modelContiguous(m, order);
      expectIs(r.buffer === v.buffer, shouldView, () => `${where}.ravel: a view iff contiguous in ${order}`);
      if (size > 0) {
        const refs = flatRefs(m, order);
        refs.forEach((ref, k) => {
          const value = distinctValue(w.dtype, k, base.salt + 5);
          r.set(k, value as never);
          if (shouldView) m.store.values[ref] = value;
        });
        w.checkAllMemory('after writing through ravel()');
      }
    }), params(600));
  });
});
