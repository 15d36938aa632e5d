/** Text output of the harness: durations, markdown tables, the machine line. Pure functions. */
import type { CaseResult, Comparison, MachineInfo, SuiteResult } from './types.js';

/** A duration in the unit that keeps 3 significant digits readable: 812 ns, 21.4 µs, 3.05 ms, 1.42 s. */
export function formatSeconds(seconds: number): string {
  const units: Array<[number, string]> = [[1, 's'], [1e-3, 'ms'], [1e-6, 'µs'], [1e-9, 'ns']];
  const [scale, unit] = units.find(([s]) => Math.abs(seconds) >= s) ?? units[units.length - 1]!;
  const value = seconds / scale;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** A ratio with 3 significant digits at most: 1.35×, 41.4×, 138×, 0.0012×. */
/** A size in binary units, as the suites name their cases: 64 KiB, 256 MiB, 4 GiB. */
export function formatBytes(bytes: number): string {
  const [unit, scale] = bytes >= 2 ** 30 ? ['GiB', 2 ** 30] : bytes >= 2 ** 20 ? ['MiB', 2 ** 20] : ['KiB', 2 ** 10];
  return `${bytes / scale} ${unit}`;
}

export function formatRatio(ratio: number): string {
  if (ratio >= 100) return `${ratio.toFixed(0)}×`;
  if (ratio >= 0.1 || ratio === 0) return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
  return `${ratio.toPrecision(2)}×`;
}

/** The machine in one line, with the time the suite started unless `date` is false. */
export function formatMachine(m: MachineInfo, date = true): string {
  const gib = (m.ramBytes / 2 ** 30).toFixed(1);
  return `${m.cpu}, ${m.cores} cores (${m.availableParallelism} usable), ${gib} GiB RAM, Node ${m.node}, ${m.platform}${date ? `, ${m.date}` : ''}`;
}

/** How a case was sampled: "84 samples", "3 runs", "15 rounds, interleaved", "5 runs, own timer". */
export function describeSamples(c: CaseResult): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  switch (c.method) {
    case 'benchmark.js': return plural(c.samples, 'sample');
    case 'timed': return plural(c.samples, 'run');
    case 'interleaved': return `${plural(c.samples, 'round')}, interleaved`;
    case 'reported': return `${plural(c.samples, 'run')}, own timer`;
  }
}

/** Escapes what would break a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** One markdown table: case, median, ±, samples, ratio to its peer. */
export function formatTable(cases: readonly CaseResult[]): string {
  const lines = ['| case | median | ± | samples | ratio |', '|---|---:|---:|---:|---|'];
  for (const c of cases) {
    if (c.median === null) {
      lines.push(`| ${cell(c.name)} | skipped | | | ${cell(c.skipped ?? '')} |`);
      continue;
    }
    const ratio = c.ratio === null || c.peer === null ? '' : `${formatRatio(c.ratio)} ${c.peer}`;
    const rme = c.rme === null ? '' : `±${c.rme.toFixed(1)}%`;
    lines.push(`| ${cell(c.name)} | ${formatSeconds(c.median)} | ${rme} | ${describeSamples(c)} | ${cell(ratio)} |`);
  }
  return lines.join('\n');
}

export function formatComparison(c: Comparison): string {
  // Next to its bar a ratio gets the digits that tell which side of it it is on.
  const close = c.ratio !== null && c.limit !== undefined && formatRatio(c.ratio) === formatRatio(c.limit);
  const value = c.ratio === null ? 'not measured' : close ? `${c.ratio.toFixed(3)}×` : formatRatio(c.ratio);
  const bar = c.limit === undefined ? '' : ` (bar: ≤ ${formatRatio(c.limit)}, ${c.pass === null || c.pass === undefined ? 'not measured' : c.pass ? 'met' : 'MISSED'})`;
  return `- ${c.label}: ${value}${bar}`;
}

/** A suite's whole report in markdown: a heading, a table per group, its ratios and notes. */
export function formatSuite(result: SuiteResult): string {
  const out = [`## ${result.suite}: ${result.title}${result.quick ? ' (--quick)' : ''}`, ''];
  for (const group of result.groups) {
    out.push(`### ${group.title}`, '');
    if (group.note) out.push(group.note, '');
    out.push(formatTable(result.cases.filter((c) => c.group === group.title)), '');
  }
  if (result.comparisons.length > 0) {
    out.push('Ratios (time of the first / time of the second; below 1× the first is faster):', '');
    for (const c of result.comparisons) out.push(formatComparison(c));
    out.push('');
  }
  for (const note of result.notes) out.push(`Note: ${note}`, '');
  out.push(`±: benchmark.js's margin of error (95%) for sampled cases; half the spread of the runs or rounds, (max - min) / 2, for the others. ${result.suite} took ${result.elapsed.toFixed(1)} s.`, '');
  return out.join('\n');
}
