/**
 * The performance page: docs/performance.md and the charts are what the generator makes from the
 * committed bench/results/*.json (so neither can drift from the figures), and the generator
 * refuses results that are not one full run.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PerformancePageError, readRun, renderPage, writePerformancePage } from '../../bench/harness/docs.js';
import { renderSvg } from '../../bench/harness/svg.js';
import type { SuiteResult } from '../../bench/harness/types.js';
import { SUITE_NAMES } from '../../bench/suites/index.js';

const RESULTS = fileURLToPath(new URL('../../bench/results', import.meta.url));
const PAGE = fileURLToPath(new URL('../../docs/performance.md', import.meta.url));
const TEMPLATE = readFileSync(new URL('../../bench/performance.template.md', import.meta.url), 'utf8');

describe('the committed performance page', () => {
  it('is what the generator makes from the committed results (run `npm run bench:docs` after changing them)', () => {
    const results = readRun(RESULTS, SUITE_NAMES);
    expect(readFileSync(PAGE, 'utf8')).toBe(renderPage(results, TEMPLATE, '../bench/results'));
  });

  it('every committed chart is drawn from its JSON', () => {
    for (const result of readRun(RESULTS, SUITE_NAMES)) {
      expect(readFileSync(join(RESULTS, `${result.suite}.svg`), 'utf8'), result.suite).toBe(renderSvg(result));
    }
  });

  it('shows the figures of the JSON: a ratio, its bar, and every table', () => {
    const page = readFileSync(PAGE, 'utf8');
    const pool = readRun(RESULTS, SUITE_NAMES).find((r) => r.suite === 'pool')!;
    const apply = pool.comparisons.find((c) => c.label === 'pool.apply / piscina run')!;
    expect(page).toContain(`| \`pool.apply\` round trip / piscina \`run\` (trivial function, one worker) | ${apply.ratio!.toFixed(2)}× | ≤ 1.50×: ${apply.pass ? 'met' : 'MISSED'} |`);
    for (const name of SUITE_NAMES) expect(page).toMatch(new RegExp(`^## ${name}: `, 'm'));
    expect(page).not.toMatch(/\{\{|\}\}/);
  });
});

describe('the generator refuses what is not one full run', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-docs-'));
    cpSync(RESULTS, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (suite: string, change: (r: SuiteResult) => void): void => {
    const file = join(dir, `${suite}.json`);
    const result = JSON.parse(readFileSync(file, 'utf8')) as SuiteResult;
    change(result);
    writeFileSync(file, JSON.stringify(result));
  };

  it('results of two runs: names the files of each run and how to measure them together', () => {
    const committed = readRun(dir, SUITE_NAMES)[0]!.run;
    edit('pool', (r) => { r.run = '2026-11-29T10:42:53.551Z'; });
    const others = SUITE_NAMES.filter((s) => s !== 'pool').map((s) => `${s}.json`).join(', ');
    expect(() => readRun(dir, SUITE_NAMES)).toThrow(PerformancePageError);
    expect(() => readRun(dir, SUITE_NAMES)).toThrow(`come from 2 runs (${others} from run ${committed}; pool.json from run 2026-11-29T10:42:53.551Z); a page shows one run`);
    // and writes nothing
    const before = readFileSync(join(dir, 'pool.svg'), 'utf8');
    expect(() => writePerformancePage(dir, join(dir, 'performance.md'), SUITE_NAMES)).toThrow(/2 runs/);
    expect(readFileSync(join(dir, 'pool.svg'), 'utf8')).toBe(before);
  });

  it('a file without a run id, a --quick result, a missing suite', () => {
    edit('sync', (r) => { delete (r as Partial<SuiteResult>).run; });
    expect(() => readRun(dir, SUITE_NAMES)).toThrow(/sync\.json has no run id/);
    cpSync(join(RESULTS, 'sync.json'), join(dir, 'sync.json'));
    edit('io', (r) => { r.quick = true; });
    expect(() => readRun(dir, SUITE_NAMES)).toThrow(/io\.json is from a --quick run/);
    cpSync(join(RESULTS, 'io.json'), join(dir, 'io.json'));
    expect(() => readRun(dir, [...SUITE_NAMES, 'nope'])).toThrow(/no .*nope\.json: the performance page needs the results of every suite/);
  });

  it('a template naming a comparison the run does not have, or an unknown placeholder', () => {
    // fixed ratios, so the verdicts below do not depend on what the committed run measured
    edit('sieve', (r) => {
      for (const c of r.comparisons) {
        if (c.label === 'countPrimes(1e10) / primesieve, 1 thread') c.ratio = 1.08;
        if (c.label === 'countPrimes(1e9) / primesieve, 2 threads') c.ratio = 1.5;
      }
    });
    const results = readRun(dir, SUITE_NAMES);
    expect(() => renderPage(results, '{{ratio pool "pool.apply / nothing"}}', '.')).toThrow(/comparison "pool.apply \/ nothing" of suite pool, which has: "pool.apply \/ piscina run"/);
    expect(() => renderPage(results, '{{ratio nope "x"}}', '.')).toThrow(/suite 'nope'/);
    expect(() => renderPage(results, '{{bar sieve "countPrimes(1e9) / primesieve, 1 thread"}}', '.')).toThrow(/has no bar in the results/);
    expect(() => renderPage(results, '{{median sieve}}', '.')).toThrow(/unknown placeholder \{\{median sieve\}\}/);
    expect(renderPage(results, '{{atmost 1.3 sieve "countPrimes(1e10) / primesieve, 1 thread"}}; {{atmost 1.3 sieve "countPrimes(1e10) / primesieve, 1 thread" "countPrimes(1e9) / primesieve, 2 threads"}}', '.'))
      .toBe('≤ 1.30×: met; ≤ 1.30×: MISSED');
  });

  it('writes the page next to results it links relatively, and the charts', () => {
    rmSync(join(dir, 'pool.svg'));
    writePerformancePage(dir, join(dir, 'performance.md'), SUITE_NAMES);
    const page = readFileSync(join(dir, 'performance.md'), 'utf8');
    expect(page).toContain('](./zerocopy.svg)');
    expect(page).toBe(renderPage(readRun(dir, SUITE_NAMES), TEMPLATE, '.'));
    expect(readFileSync(join(dir, 'pool.svg'), 'utf8')).toBe(readFileSync(join(RESULTS, 'pool.svg'), 'utf8'));
  });
});
