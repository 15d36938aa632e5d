/**
 * The benchmark runner: `shared-ndarray bench …` (which starts this file, compiled to
 * dist/bench/run.js, with plain node) and `npm run bench` in a clone of the repository.
 *
 * Each suite measures this package and its peers side by side in this one process, prints a
 * progress line per case to stderr, a markdown table per group to stdout (or, with --json, one
 * JSON document of every suite instead), and writes <out>/<suite>.json and .svg. Every suite of
 * one invocation carries the same run id, and a full run of every suite ends by writing the
 * performance page from those files (see harness/docs.ts).
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Argument, Command, CommanderError, Option } from 'commander';
import { SuiteContext } from './harness/context.js';
import { writePerformancePage } from './harness/docs.js';
import { formatMachine, formatSuite } from './harness/format.js';
import { machineInfo } from './harness/peers.js';
import { renderSvg } from './harness/svg.js';
import type { SuiteResult } from './harness/types.js';
import { SUITES, SUITE_NAMES, type SuiteName } from './suites/index.js';

interface Flags { quick?: boolean; smoke?: boolean; json?: boolean; out: string; docs?: string }

const DEFAULT_OUT = 'shared-ndarray-bench';

/** Where the runner writes: the process's streams, or a test's recorders. */
export interface RunnerOutput { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } }

async function main(suites: SuiteName[], flags: Flags, io: RunnerOutput): Promise<number> {
  const run = new Date().toISOString();
  const smoke = flags.smoke === true;
  const quick = flags.quick === true || smoke;
  const outDir = resolve(flags.out, quick ? 'quick' : '.');
  mkdirSync(outDir, { recursive: true });
  const selected = suites.length === 0 ? SUITES : SUITES.filter((s) => suites.includes(s.name));
  const log = (line: string): void => { io.stderr.write(`${line}\n`); };
  const results: SuiteResult[] = [];
  let failed = 0;
  if (!flags.json) io.stdout.write(`# shared-ndarray benchmarks${smoke ? ' (--smoke)' : quick ? ' (--quick)' : ''}\n\nMachine: ${formatMachine(machineInfo())}\n\n`);

  for (const { name, load } of selected) {
    const suite = (await load()).default;
    log(`▶ ${name}: ${suite.title}`);
    const context = new SuiteContext(suite, { run, quick, smoke, machine: machineInfo(), log, tty: process.stderr.isTTY === true });
    try {
      await suite.run(context);
    } catch (error) {
      failed++;
      log(`bench ${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      continue;
    }
    const result = context.finish();
    results.push(result);
    const json = join(outDir, `${name}.json`);
    writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(outDir, `${name}.svg`), renderSvg(result));
    log(`  wrote ${relative(process.cwd(), json) || json} and ${name}.svg (${result.elapsed.toFixed(1)} s)`);
    if (!flags.json) io.stdout.write(`${formatSuite(result)}\n`);
  }

  if (flags.json) io.stdout.write(`${JSON.stringify({ run, suites: results }, null, 2)}\n`);
  if (failed > 0) log(`${failed} suite${failed === 1 ? '' : 's'} failed`);
  // The page shows one whole run: every suite, measured in full, all of them done.
  if (!quick && failed === 0 && selected.length === SUITES.length) {
    const page = resolve(flags.docs ?? join(outDir, 'performance.md'));
    try {
      writePerformancePage(outDir, page, SUITE_NAMES);
      log(`wrote ${relative(process.cwd(), page) || page}`);
    } catch (error) {
      log(`could not write ${page}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  } else if (flags.docs !== undefined) {
    log(`did not write ${flags.docs}: the performance page is made from a full run of every suite (no --quick, none failed)`);
  }
  return failed > 0 ? 1 : 0;
}

const width = Math.max(...SUITE_NAMES.map((name) => name.length));
/**
 * Runs the runner with `args` (what follows `bench` on the command line) and returns the exit
 * code: 0 for help, 2 for a usage error, 1 when a suite failed. Exported so that the help and
 * the usage errors are checked in-process (test/bench/run.test.ts); the process is below.
 */
export async function run(args: string[], io: RunnerOutput = process): Promise<number> {
  let status = 0;
  const program = new Command('shared-ndarray bench')
    .description('run the benchmark suites against their peers, print tables, write the results')
    .addArgument(new Argument('[suite...]', 'suites to run (default: all)').choices(SUITE_NAMES))
    .option('--quick', 'fewer and smaller cases, shorter sampling: the whole set in about a minute')
    .option('--smoke', "--quick's cases, each measured once: checks that the suites run, measures nothing")
    .option('--json', 'print the results as one JSON document instead of the tables')
    .addOption(new Option('--out <dir>', 'where the results go').default(DEFAULT_OUT, `./${DEFAULT_OUT}`))
    .option('--docs <file>', 'where a full run of every suite writes the performance page (default: <dir>/performance.md)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => { io.stdout.write(text); }, writeErr: (text) => { io.stderr.write(text); } })
    .addHelpText('after', [
      '',
      'Suites:',
      ...SUITES.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`),
      '',
      'Each suite measures shared-ndarray and its peers in one process, prints a progress line per case',
      'on stderr and a table per group on stdout, and writes <dir>/<suite>.json and .svg (<dir>/quick/',
      'with --quick and --smoke), <dir> being --out, ./shared-ndarray-bench in the current directory by default.',
      'A full run of every suite (no --quick) also writes the performance page, from those files.',
      'A peer that is not installed is skipped with a line saying how to install it: primesieve and',
      'python3-numpy from the system (apt-get install primesieve python3-numpy), piscina, benchmark',
      '(benchmark.js, which samples the ndarray and sync suites) and @stdlib/ndarray from npm.',
    ].join('\n'))
    .action(async (suites: SuiteName[], flags: Flags) => {
      status = await main(suites, flags, io);
    });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // As the shared-ndarray command: help asked for exits 0, a usage error 2.
    return error.exitCode === 0 ? 0 : 2;
  }
  return status;
}

// started as a program (node dist/bench/run.js), not imported; argv[1] may be a symlink's path
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2));
  // Exit explicitly: a suite that failed half-way may have left a worker or timer behind.
  process.stdout.write('', () => process.exit());
}
