/**
 * `shared-ndarray bench [suite…] [--quick] [--json]`: runs the benchmark suites of a clone of the
 * repository. The suites, their harness and their peers (benchmark.js, piscina, the Python
 * scripts) are development tools and stay out of the published package: the command runs the
 * repository's bench/run.ts under tsx (a devDependency), and from an install, where there is no
 * bench/ folder, it says where the suites are instead. Its arguments are checked, and its help
 * printed, either way.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Argument, Command } from 'commander';
import { BENCH_SUITES, BENCH_SUITE_NAMES } from './bench-suites.js';

interface BenchFlags {
  quick?: boolean;
  json?: boolean;
}

/** Where the package is: the repository root in a clone, node_modules/shared-ndarray in an install. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The command line that runs the suites, or an error saying why they cannot run here. */
export function benchInvocation(root: string, args: readonly string[]): { command: string; args: string[] } | Error {
  const runner = join(root, 'bench', 'run.ts');
  if (!existsSync(runner)) {
    const again = ['npx shared-ndarray bench', ...args].join(' ');
    return new Error(`the benchmark suites are not part of the published package (no ${runner}): they live in the repository's bench/ folder. Clone the repository, run \`npm ci\`, then \`npm run bench\` or \`${again}\`.`);
  }
  let tsx: string;
  try {
    tsx = createRequire(join(root, 'package.json')).resolve('tsx/cli');
  } catch {
    return new Error(`the benchmark suites run under tsx, which is not installed in ${root}: run \`npm ci\` there (tsx is a devDependency).`);
  }
  return { command: process.execPath, args: [tsx, runner, ...args] };
}

/** `setExitCode` gets the exit code of a suite run that failed (its own output says why). */
export function benchCommand(setExitCode: (code: number) => void): Command {
  const width = Math.max(...BENCH_SUITE_NAMES.map((name) => name.length));
  return new Command('bench')
    .description('run the benchmark suites against their peers (in a clone of the repository), print tables, write bench/results/')
    .addArgument(new Argument('[suite...]', 'suites to run (default: all)').choices(BENCH_SUITE_NAMES))
    .option('--quick', 'fewer and smaller cases, shorter sampling: the whole set in about a minute')
    .option('--json', 'print the results as one JSON document instead of the tables')
    .addHelpText('after', [
      '',
      'Suites:',
      ...BENCH_SUITES.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`),
      '',
      'Each suite measures shared-ndarray and its peers in one process, prints a progress line per case',
      'on stderr and writes bench/results/<suite>.json and .svg (bench/results/quick/ with --quick).',
      'A peer that is not installed is skipped with a line saying how to install it. The suites live',
      "in the repository's bench/ folder, not in the published package: run this in a clone, after",
      '`npm ci` and `npm run build` (or use `npm run bench`, which builds first).',
    ].join('\n'))
    .action(async (suites: string[], flags: BenchFlags) => {
      const args = [...suites, ...(flags.quick ? ['--quick'] : []), ...(flags.json ? ['--json'] : [])];
      const invocation = benchInvocation(PACKAGE_ROOT, args);
      if (invocation instanceof Error) throw invocation;
      const child = spawn(invocation.command, invocation.args, { cwd: PACKAGE_ROOT, stdio: 'inherit' });
      const code = await new Promise<number>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
      });
      if (code !== 0) setExitCode(code);
    });
}
