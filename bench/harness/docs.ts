/**
 * The performance page (docs/performance.md in the repository): made from the results of ONE
 * full run, so its tables cannot drift from the JSON or mix runs. Its prose is a hand-written
 * template (bench/performance.template.md) whose every figure is a placeholder filled from the
 * results:
 *
 *   {{run}} {{date}} {{machine}} {{peers}} {{elapsed}}   the run: its id, day, machine, peers, duration
 *   {{results}}                                          the results folder, relative to the page
 *   {{tables}}                                           every suite's tables, as the runner prints them
 *   {{ratio SUITE "LABEL"}}                              a comparison's ratio (time / time)
 *   {{inverse SUITE "LABEL"}}                            its inverse, e.g. a speedup
 *   {{bar SUITE "LABEL"}}                                the bar the suite set for it: "≤ 1.50×: met"
 *   {{atmost N SUITE "LABEL" ...}}                       a goal the suite does not set: every ratio ≤ N
 *   {{inverse-atleast N SUITE "LABEL" ...}}              every inverse ≥ N
 *
 * A placeholder naming no suite or comparison of the run is an error, not an empty cell.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { formatMachine, formatRatio, formatSuite } from './format.js';
import { renderSvg } from './svg.js';
import type { Comparison, SuiteResult } from './types.js';

/** The results cannot make a page: missing, of --quick, of several runs; or the template is wrong. */
export class PerformancePageError extends Error {
  override name = 'PerformancePageError';
}

const TEMPLATE = new URL('../performance.template.md', import.meta.url);

/**
 * `<dir>/<suite>.json` of every suite named, checked to be one full run: each file present, none
 * from --quick, all with the same run id.
 */
export function readRun(dir: string, suites: readonly string[]): SuiteResult[] {
  const results = suites.map((name) => {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) {
      throw new PerformancePageError(`readRun: no ${file}: the performance page needs the results of every suite (${suites.join(', ')}) from one run`);
    }
    const result = JSON.parse(readFileSync(file, 'utf8')) as SuiteResult;
    if (result.suite !== name) throw new PerformancePageError(`readRun: ${file} holds suite '${String(result.suite)}', expected '${name}'`);
    if (typeof result.run !== 'string' || result.run === '') {
      throw new PerformancePageError(`readRun: ${file} has no run id (its "run" field), so it cannot be told to belong to the same run as the others`);
    }
    if (result.quick) throw new PerformancePageError(`readRun: ${file} is from a --quick run; the performance page is made from a full run`);
    return result;
  });
  const runs = new Map<string, string[]>();
  for (const r of results) runs.set(r.run, [...(runs.get(r.run) ?? []), `${r.suite}.json`]);
  if (runs.size > 1) {
    const which = [...runs].map(([run, files]) => `${files.join(', ')} from run ${run}`).join('; ');
    throw new PerformancePageError(`readRun: the results in ${dir} come from ${runs.size} runs (${which}); a page shows one run: run every suite again together (npm run bench, or shared-ndarray bench --out ${dir})`);
  }
  return results;
}

/** Splits a placeholder's inside into words and "quoted strings". */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

function peerList(results: readonly SuiteResult[]): string {
  const parts = new Set<string>();
  for (const r of results) {
    for (const [name, version] of Object.entries(r.peers)) {
      // primesieve and Python report a name with their version ("Python 3.11.7, numpy 2.4.6"); npm peers do not
      for (const part of /^[A-Za-z]/.test(version) ? version.split(', ') : [`${name} ${version}`]) parts.add(part);
    }
  }
  return [...parts].join(', ');
}

/** The page: the template with every placeholder filled from `results` (one run, see readRun). */
export function renderPage(results: readonly SuiteResult[], template: string, resultsPath: string): string {
  const first = results[0];
  if (first === undefined) throw new PerformancePageError('renderPage: no results');
  const comparison = (suite: string | undefined, label: string | undefined): Comparison => {
    const result = results.find((r) => r.suite === suite);
    if (result === undefined) throw new PerformancePageError(`renderPage: the template names suite '${String(suite)}', which the run does not have`);
    const found = result.comparisons.find((c) => c.label === label);
    if (found === undefined) {
      throw new PerformancePageError(`renderPage: the template names comparison "${String(label)}" of suite ${result.suite}, which has: ${result.comparisons.map((c) => `"${c.label}"`).join(', ')}`);
    }
    return found;
  };
  const value = (ratio: number | null, inverse: boolean): string => {
    if (ratio === null || ratio === 0) return 'not measured';
    return formatRatio(inverse ? 1 / ratio : ratio);
  };
  const goal = (op: '≤' | '≥', limit: string | undefined, suite: string | undefined, labels: string[], inverse: boolean): string => {
    const n = Number(limit);
    if (!(n > 0) || labels.length === 0) throw new PerformancePageError(`renderPage: a goal needs a number and at least one comparison, got '${String(limit)}' and ${labels.length}`);
    const ratios = labels.map((label) => comparison(suite, label).ratio);
    if (ratios.some((r) => r === null || r === 0)) return `${op} ${formatRatio(n)}: not measured`;
    const met = ratios.every((r) => (inverse ? 1 / r! >= n : r! <= n));
    return `${op} ${formatRatio(n)}: ${met ? 'met' : 'MISSED'}`;
  };
  const minutes = results.reduce((sum, r) => sum + r.elapsed, 0) / 60;
  return template.replace(/\{\{([^}]*)\}\}/g, (_, inside: string) => {
    const [name, ...args] = tokens(inside);
    switch (name) {
      case 'run': return first.run;
      case 'date': return first.run.slice(0, 10);
      case 'machine': return formatMachine(first.machine, false);
      case 'peers': return peerList(results);
      case 'elapsed': return `${minutes.toFixed(1)} minutes`;
      case 'results': return resultsPath;
      case 'tables': return results.map((r) => formatSuite(r).trimEnd()).join('\n\n');
      case 'ratio': return value(comparison(args[0], args[1]).ratio, false);
      case 'inverse': return value(comparison(args[0], args[1]).ratio, true);
      case 'bar': {
        const c = comparison(args[0], args[1]);
        if (c.limit === undefined) throw new PerformancePageError(`renderPage: comparison "${c.label}" has no bar in the results; state the goal with atmost or inverse-atleast`);
        return `≤ ${formatRatio(c.limit)}: ${c.pass === true ? 'met' : c.pass === false ? 'MISSED' : 'not measured'}`;
      }
      case 'atmost': return goal('≤', args[0], args[1], args.slice(2), false);
      case 'inverse-atleast': return goal('≥', args[0], args[1], args.slice(2), true);
      default: throw new PerformancePageError(`renderPage: unknown placeholder {{${inside}}}`);
    }
  });
}

/**
 * Writes the page at `page` from the results in `resultsDir` (one full run of `suites`, see
 * readRun), and redraws each suite's chart from its JSON, so the charts cannot drift either.
 */
export function writePerformancePage(resultsDir: string, page: string, suites: readonly string[]): void {
  const results = readRun(resultsDir, suites);
  const resultsPath = relative(dirname(page), resultsDir).split(sep).join('/') || '.';
  writeFileSync(page, renderPage(results, readFileSync(TEMPLATE, 'utf8'), resultsPath));
  for (const r of results) writeFileSync(join(resultsDir, `${r.suite}.svg`), renderSvg(r));
}
