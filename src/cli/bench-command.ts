/**
 * `shared-ndarray bench …`: starts the benchmark runner, which ships compiled in dist/bench/ (its
 * sources are the repository's bench/), with plain node in the current directory, and passes it
 * every argument: the runner owns the suites, their options and the help (`bench --help`). The
 * package does not import the bench; the bench imports the package.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

/** The compiled runner, next to this file's folder in dist/. */
const BENCH_RUNNER = fileURLToPath(new URL('../bench/run.js', import.meta.url));

/** `setExitCode` gets the exit code of a suite run that failed (its own output says why). */
export function benchCommand(setExitCode: (code: number) => void): Command {
  return new Command('bench')
    .description('run the benchmark suites against their peers, print tables, write the results (see bench --help)')
    .argument('[suite-or-option...]', 'passed to the runner: suites, --quick, --smoke, --json, --out <dir>, --docs <file>, --help')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (args: string[]) => {
      if (!existsSync(BENCH_RUNNER)) {
        throw new Error(`the benchmark runner is not built (no ${BENCH_RUNNER}): run \`npm run build\` in the repository`);
      }
      const child = spawn(process.execPath, [BENCH_RUNNER, ...args], { stdio: 'inherit' });
      const code = await new Promise<number>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
      });
      if (code !== 0) setExitCode(code);
    });
}
