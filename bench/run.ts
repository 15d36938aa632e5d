/**
 * Runs benchmark suites and reports them: `npm run bench`, `npx tsx bench/run.ts [suite…]
 * [--quick] [--json]`, or `shared-ndarray bench …` in a clone of the repository.
 *
 * Each suite measures this package and its peers side by side in this one process, prints a
 * progress line per case to stderr, a markdown table per group to stdout (or, with --json, one
 * JSON document of every suite instead), and writes bench/results/<suite>.json and .svg
 * (bench/results/quick/ with --quick; $BENCH_RESULTS_DIR overrides the folder).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SUITES, BENCH_SUITE_NAMES, type BenchSuiteName } from '../src/cli/bench-suites.js';
import { SuiteContext } from './harness/context.js';
import { formatMachine, formatSuite } from './harness/format.js';
import { machineInfo } from './harness/peers.js';
import { renderSvg } from './harness/svg.js';
import type { SuiteResult } from './harness/types.js';
import { SUITE_LOADERS } from './suites/index.js';

const USAGE = `Usage: tsx bench/run.ts [suite...] [--quick] [--json]

Runs the benchmark suites (default: all, in this order):
${BENCH_SUITES.map((s) => `  ${s.name.padEnd(9)} ${s.description}`).join('\n')}

  --quick   fewer and smaller cases, shorter sampling: the whole set in about a minute
  --json    print the results as one JSON document instead of the tables
`;

interface Args { suites: BenchSuiteName[]; quick: boolean; json: boolean }

function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { suites: [], quick: false, json: false };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--json') args.json = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) usageError(`unknown option '${arg}'`);
    else if ((BENCH_SUITE_NAMES as readonly string[]).includes(arg)) {
      if (!args.suites.includes(arg as BenchSuiteName)) args.suites.push(arg as BenchSuiteName);
    } else usageError(`unknown suite '${arg}'; the suites are: ${BENCH_SUITE_NAMES.join(', ')}`);
  }
  if (args.suites.length === 0) args.suites = [...BENCH_SUITE_NAMES];
  // Run in the canonical order, whatever order they were named in.
  args.suites.sort((a, b) => BENCH_SUITE_NAMES.indexOf(a) - BENCH_SUITE_NAMES.indexOf(b));
  return args;
}

const args = parseArgs(process.argv.slice(2));
const resultsDir = process.env.BENCH_RESULTS_DIR
  ?? fileURLToPath(new URL(args.quick ? './results/quick/' : './results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });

const log = (line: string): void => { process.stderr.write(`${line}\n`); };
const results: SuiteResult[] = [];
let failed = 0;
if (!args.json) process.stdout.write(`# shared-ndarray benchmarks${args.quick ? ' (--quick)' : ''}\n\nMachine: ${formatMachine(machineInfo())}\n\n`);

for (const name of args.suites) {
  const suite = (await SUITE_LOADERS[name]()).default;
  log(`▶ ${name}: ${suite.title}`);
  const context = new SuiteContext(suite, { quick: args.quick, machine: machineInfo(), log, tty: process.stderr.isTTY === true });
  try {
    await suite.run(context);
  } catch (error) {
    failed++;
    log(`bench ${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    continue;
  }
  const result = context.finish();
  results.push(result);
  const json = join(resultsDir, `${name}.json`);
  const svg = join(resultsDir, `${name}.svg`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(svg, renderSvg(result));
  log(`  wrote ${json} and ${svg.slice(svg.lastIndexOf('/') + 1)} (${result.elapsed.toFixed(1)} s)`);
  if (!args.json) process.stdout.write(`${formatSuite(result)}\n`);
}

if (args.json) process.stdout.write(`${JSON.stringify({ suites: results }, null, 2)}\n`);
if (failed > 0) log(`${failed} suite${failed === 1 ? '' : 's'} failed`);
// Exit explicitly: a suite that failed half-way may have left a worker or timer behind.
process.stdout.write('', () => process.exit(failed > 0 ? 1 : 0));
