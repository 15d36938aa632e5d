/**
 * The benchmark harness's pure pieces (bench/harness/): durations and tables, the SVG writer, the
 * results' JSON shape, and a missing peer being skipped. Nothing here measures anything for real.
 */
import { describe, expect, it } from 'vitest';
import { SuiteContext, halfSpread, type Suite } from '../../bench/harness/context.js';
import { formatComparison, formatRatio, formatSeconds, formatSuite, formatTable } from '../../bench/harness/format.js';
import { INSTALL, findPrimesieve, findPython, which } from '../../bench/harness/peers.js';
import { barLengths, escapeXml, renderSvg } from '../../bench/harness/svg.js';
import type { CaseResult, MachineInfo, SuiteResult } from '../../bench/harness/types.js';

const RUN = '2025-01-01T00:00:00.000Z';
const MACHINE: MachineInfo = {
  cpu: 'Test CPU', cores: 2, availableParallelism: 2, ramBytes: 8 * 2 ** 30, platform: 'linux 6', node: 'v20.0.0', date: '2025-01-01T00:00:00.000Z',
};

function measured(name: string, median: number, extra: Partial<CaseResult> = {}): CaseResult {
  return { group: 'g', name, ours: true, method: 'timed', median, min: median, rme: 1.5, samples: 3, runs: [median, median, median], peer: null, ratio: null, ...extra };
}

function result(cases: CaseResult[], groups = [{ title: 'g' }]): SuiteResult {
  return { suite: 'demo', title: 'a demo', run: RUN, quick: false, machine: MACHINE, peers: {}, groups, cases, comparisons: [], notes: [], elapsed: 1 };
}

/** A context whose progress lines are collected. */
function context(run: Suite['run'] = async () => {}, quick = true): { ctx: SuiteContext; lines: string[] } {
  const lines: string[] = [];
  const ctx = new SuiteContext({ name: 'demo', title: 'a demo', run }, { run: RUN, quick, machine: MACHINE, log: (line) => lines.push(line) });
  return { ctx, lines };
}

/**
 * A strict-enough XML well-formedness check for what the SVG writer emits: every tag closes in
 * order, attribute values are quoted, and text holds no raw `<` or stray `&`.
 */
function checkWellFormed(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let index = 0;
  let match: RegExpExecArray | null;
  while (index < xml.length) {
    token.lastIndex = index;
    match = token.exec(xml);
    if (!match) throw new Error(`not well-formed at ${index}: ${JSON.stringify(xml.slice(index, index + 60))}`);
    index = token.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`stray & in ${JSON.stringify(text)}`);
      continue;
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes nothing open`);
    } else if (!selfClosing) stack.push(name!);
  }
  expect(stack).toEqual([]);
}

describe('bench harness: text', () => {
  it('formats durations with three significant digits in a fitting unit', () => {
    expect(formatSeconds(812e-9)).toBe('812 ns');
    expect(formatSeconds(21.43e-6)).toBe('21.4 µs');
    expect(formatSeconds(3.051e-3)).toBe('3.05 ms');
    expect(formatSeconds(1.419)).toBe('1.42 s');
    expect(formatSeconds(123.4)).toBe('123 s');
    expect(formatSeconds(0.5e-9)).toBe('0.50 ns');
  });

  it('formats ratios, small ones without rounding to zero', () => {
    expect(formatRatio(1.347)).toBe('1.35×');
    expect(formatRatio(41.43)).toBe('41.4×');
    expect(formatRatio(138.2)).toBe('138×');
    expect(formatRatio(0.00083)).toBe('0.00083×');
    expect(formatRatio(0.0203)).toBe('0.020×');
  });

  it('prints a markdown table: case, median, ±, samples, ratio to the peer; a skipped case says why', () => {
    const table = formatTable([
      measured('peer | one', 2e-3, { ours: false, method: 'reported', samples: 5 }),
      measured('ours', 3e-3, { peer: 'peer | one', ratio: 1.5, method: 'benchmark.js', samples: 84 }),
      measured('rounds', 1e-3, { method: 'interleaved', samples: 9, rme: null }),
      { ...measured('missing', 0), median: null, min: null, rme: null, samples: 0, skipped: 'primesieve is not installed: apt-get install primesieve' },
    ]).split('\n');
    expect(table).toEqual([
      '| case | median | ± | samples | ratio |',
      '|---|---:|---:|---:|---|',
      '| peer \\| one | 2.00 ms | ±1.5% | 5 runs, own timer |  |',
      '| ours | 3.00 ms | ±1.5% | 84 samples | 1.50× peer \\| one |',
      '| rounds | 1.00 ms |  | 9 rounds, interleaved |  |',
      '| missing | skipped | | | primesieve is not installed: apt-get install primesieve |',
    ]);
  });

  it('a ratio next to its bar gets the digits that tell which side of the bar it is on', () => {
    expect(formatComparison({ label: 'a / b', case: 'a', vs: 'b', ratio: 1.5047, limit: 1.5, pass: false })).toBe('- a / b: 1.505× (bar: ≤ 1.50×, MISSED)');
    expect(formatComparison({ label: 'a / b', case: 'a', vs: 'b', ratio: 1.2, limit: 1.5, pass: true })).toBe('- a / b: 1.20× (bar: ≤ 1.50×, met)');
    expect(formatComparison({ label: 'a / b', case: 'a', vs: 'b', ratio: 0.5 })).toBe('- a / b: 0.50×');
  });

  it('half the spread of the runs, relative to their median', () => {
    expect(halfSpread([1])).toBeNull();
    expect(halfSpread([1, 3])).toBeCloseTo(50);
    expect(halfSpread([2, 2, 6])).toBeCloseTo(100);
  });
});

describe('bench harness: SVG chart', () => {
  it('is well-formed SVG with one bar per measured case and a line of text for a skipped one', () => {
    const cases = [
      measured('Float64Array <loop> & co', 50e-6, { ours: false }),
      measured("SharedNDArray.get(i, j) 'x'", 80e-6, { peer: 'Float64Array <loop> & co', ratio: 1.6 }),
      { ...measured('piscina', 0), median: null, min: null, rme: null, skipped: 'piscina is not installed: npm ci' },
      measured('other group', 1, { group: 'h & i' }),
    ];
    const svg = renderSvg(result(cases, [{ title: 'g' }, { title: 'h & i' }]));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    checkWellFormed(svg);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg).toContain('Float64Array &lt;loop&gt; &amp; co');
    expect(svg).toContain('skipped: piscina is not installed: npm ci');
    expect(svg).toContain('h &amp; i');
    expect(svg).toContain('1.60× Float64Array');
  });

  it('bars are linear in the median within 20×, log scale beyond', () => {
    const linear = barLengths([1, 2, 4]);
    expect(linear.log).toBe(false);
    expect(linear.lengths[2]).toBe(2 * linear.lengths[1]!);
    const log = barLengths([1e-6, 1e-3, 1]);
    expect(log.log).toBe(true);
    expect(log.lengths[0]! < log.lengths[1]! && log.lengths[1]! < log.lengths[2]!).toBe(true);
    expect(log.lengths[0]).toBeGreaterThan(2);
  });

  it('escapes XML', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});

describe('bench harness: a suite run', () => {
  it('gathers cases into the JSON shape, with ratios to the peer and comparisons against a bar', async () => {
    const { ctx, lines } = context();
    ctx.group('first');
    ctx.peerVersion('peer', '1.0');
    await ctx.timed('baseline', () => {}, { peer: true, runs: 3 });
    await ctx.timed('ours', async () => {}, { vs: 'baseline', runs: 2, warmup: true, detail: 'checked' });
    let slept = 0;
    const tenCalls = await ctx.timed('ten calls a run', async () => { slept++; await new Promise((r) => setTimeout(r, 20)); }, { runs: 1, perCall: 10 });
    expect(slept).toBe(1);
    expect(tenCalls.median!).toBeGreaterThan(0.0015);
    expect(tenCalls.median!).toBeLessThan(0.015);
    ctx.group('second', 'a note on the group');
    await ctx.reported('peer reports', async () => [0.5, 0.25, 1], { detail: 'peer --time' });
    await ctx.interleaved([
      { name: 'a', fn: async () => {}, options: { vs: 'peer reports' } },
      { name: 'b', fn: async () => {}, options: { peer: true }, batch: 2 },
    ], { batch: 3, rounds: 4 });
    await ctx.bench('sampled', () => {}, { maxTime: 0.02 });
    ctx.compare('ours / baseline', 'ours', 'baseline', 1e9);
    ctx.compare('a / peer reports', 'a', 'peer reports', 0);
    ctx.note('a note');
    const r = JSON.parse(JSON.stringify(ctx.finish())) as SuiteResult;

    expect(Object.keys(r).sort()).toEqual(['cases', 'comparisons', 'elapsed', 'groups', 'machine', 'notes', 'peers', 'quick', 'run', 'suite', 'title']);
    expect(r).toMatchObject({ suite: 'demo', title: 'a demo', run: RUN, quick: true, machine: MACHINE, peers: { peer: '1.0' }, notes: ['a note'] });
    expect(r.groups).toEqual([{ title: 'first' }, { title: 'second', note: 'a note on the group' }]);
    expect(r.cases.map((c) => [c.name, c.group, c.method, c.ours, c.samples])).toEqual([
      ['baseline', 'first', 'timed', false, 3],
      ['ours', 'first', 'timed', true, 2],
      ['ten calls a run', 'first', 'timed', true, 1],
      ['peer reports', 'second', 'reported', false, 3],
      ['a', 'second', 'interleaved', true, 4],
      ['b', 'second', 'interleaved', false, 4],
      ['sampled', 'second', 'benchmark.js', true, r.cases[6]!.samples],
    ]);
    for (const c of r.cases) {
      expect(typeof c.median).toBe('number');
      expect(c.median!).toBeGreaterThanOrEqual(0);
      expect(c.min!).toBeLessThanOrEqual(c.median!);
    }
    const reported = r.cases[3]!;
    expect(reported).toMatchObject({ median: 0.5, min: 0.25, runs: [0.5, 0.25, 1], rme: 75, peer: null, ratio: null, detail: 'peer --time' });
    const ours = r.cases[1]!;
    expect(ours.peer).toBe('baseline');
    expect(ours.detail).toBe('checked');
    expect(ours.ratio).toBe(r.cases[0]!.median === 0 ? null : ours.median! / r.cases[0]!.median!);
    expect(r.cases[4]!.ratio).toBeCloseTo(r.cases[4]!.median! / 0.5);
    expect(r.cases[6]!.samples).toBeGreaterThan(0);
    expect(r.comparisons[0]).toMatchObject({ label: 'ours / baseline', case: 'ours', vs: 'baseline', limit: 1e9 });
    expect(r.comparisons[1]).toMatchObject({ label: 'a / peer reports', limit: 0, pass: false });
    // a progress line per case
    for (const name of ['baseline', 'ours', 'ten calls a run', 'peer reports', 'a', 'b', 'sampled']) {
      expect(lines.some((line) => line.startsWith(`    ${name}: `))).toBe(true);
    }
    expect(formatSuite(ctx.finish())).toContain('- a / peer reports: ');
  });

  it('--smoke measures each case once: one timed run without warm-up, one round of one call, one benchmark.js sample', async () => {
    const ctx = new SuiteContext({ name: 'demo', title: 'a demo', run: async () => {} }, { run: RUN, quick: false, smoke: true, machine: MACHINE, log: () => {} });
    expect(ctx.quick).toBe(true);
    // a suite's sizes and counts by mode
    expect([ctx, context().ctx, context(undefined, false).ctx].map((c) => c.pick('full', 'quick', 'smoke'))).toEqual(['smoke', 'quick', 'full']);
    ctx.group('g');
    const calls = { timed: 0, a: 0, b: 0, async: 0, sampled: 0 };
    await ctx.timed('timed', () => { calls.timed++; }, { runs: 5, warmup: true });
    await ctx.interleaved([
      { name: 'a', fn: async () => { calls.a++; } },
      { name: 'b', fn: async () => { calls.b++; }, batch: 7 },
    ], { batch: 100, rounds: 9 });
    // one timed run, without the untimed call that decides how to time it
    await ctx.benchAsync('async', async () => { calls.async++; });
    await ctx.bench('sampled', () => { calls.sampled++; }, { maxTime: 5 });
    // benchmark.js's sample is one call (and one more where it first runs the function): no calibration
    expect(calls).toEqual({ timed: 1, a: 1, b: 1, async: 1, sampled: 2 });
    const r = ctx.finish();
    expect(r).toMatchObject({ quick: true, smoke: true });
    expect(r.cases.map((c) => [c.name, c.method, c.samples])).toEqual([
      ['timed', 'timed', 1], ['a', 'interleaved', 1], ['b', 'interleaved', 1], ['async', 'timed', 1], ['sampled', 'benchmark.js', 1],
    ]);
    for (const c of r.cases) expect(c.median!).toBeGreaterThanOrEqual(0);
  });

  it('skips a missing peer with one line saying how to install it, and shows it as skipped', async () => {
    const { ctx, lines } = context();
    ctx.group('g');
    ctx.skip('primesieve, 1 thread', `primesieve is not installed: ${INSTALL.primesieve}`, { peer: true });
    ctx.skip('primesieve, 2 threads', `primesieve is not installed: ${INSTALL.primesieve}`, { peer: true });
    await ctx.timed('countPrimes', () => {}, { vs: 'primesieve, 1 thread', runs: 1 });
    ctx.compare('countPrimes / primesieve', 'countPrimes', 'primesieve, 1 thread', 2);
    const r = ctx.finish();
    expect(lines.filter((line) => line.includes('skipped'))).toEqual(['    skipped: primesieve is not installed: apt-get install primesieve']);
    expect(r.cases[0]).toMatchObject({ name: 'primesieve, 1 thread', median: null, samples: 0, skipped: 'primesieve is not installed: apt-get install primesieve', ours: false });
    expect(r.cases[2]).toMatchObject({ name: 'countPrimes', peer: 'primesieve, 1 thread', ratio: null });
    expect(r.comparisons[0]).toMatchObject({ ratio: null, pass: null });
    expect(formatSuite(r)).toContain('| primesieve, 1 thread | skipped | | | primesieve is not installed: apt-get install primesieve |');
    expect(formatSuite(r)).toContain('- countPrimes / primesieve: not measured (bar: ≤ 2.00×, not measured)');
    expect(renderSvg(r).match(/<rect class="bar"/g)).toHaveLength(1);
  });

  it('refuses duplicate names, cases outside a group and comparisons of unknown cases', async () => {
    const { ctx } = context();
    await expect(ctx.timed('x', () => {}, { runs: 1 })).rejects.toThrow(/before any group/);
    ctx.group('g');
    expect(() => ctx.group('g')).toThrow(/two groups/);
    await ctx.timed('x', () => {}, { runs: 1 });
    await expect(ctx.timed('x', () => {}, { runs: 1 })).rejects.toThrow(/two cases named 'x'/);
    ctx.compare('x / y', 'x', 'y');
    expect(() => ctx.finish()).toThrow(/names no case 'y'/);
  });

  it('finds no peer on an empty PATH', async () => {
    expect(which('primesieve', '')).toBeUndefined();
    expect(which('node', process.env.PATH)).toMatch(/node$/);
    expect(await findPrimesieve('')).toBeUndefined();
    const saved = process.env.BENCH_PYTHON;
    delete process.env.BENCH_PYTHON;
    try {
      // /usr/bin/python3 is tried by absolute path whatever PATH says; 'python3' alone is not found
      const python = await findPython({ path: '' });
      if (python) expect(python.path).toBe('/usr/bin/python3');
    } finally {
      if (saved !== undefined) process.env.BENCH_PYTHON = saved;
    }
  });
});
