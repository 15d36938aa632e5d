/** The `shared-ndarray` command as a function: parses `argv` and runs it, writing to `io`. */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { benchCommand } from './bench-command.js';
import { clusterCommand } from './cluster-command.js';
import type { CliIO } from './io.js';
import { sieveCommand } from './sieve-command.js';
import { workerCommand } from './worker-command.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * Runs the command line `argv` (the arguments after the script, as in `process.argv.slice(2)`)
 * and resolves to its exit code: 0, 2 for a usage error, 1 for a failure. Nothing here exits the
 * process, so tests check argument handling in-process. The benchmark suites `bench` starts in a
 * child process write to this process's own stdout and stderr, not to `io`.
 */
export async function run(argv: readonly string[], io: CliIO = process): Promise<number> {
  let status = 0;
  const program = new Command('shared-ndarray')
    .description('numpy-like shared-memory arrays for worker threads: demos and benchmarks')
    .version(version)
    .addCommand(sieveCommand(io))
    .addCommand(benchCommand((code) => { status = code; }))
    .addCommand(workerCommand(io))
    .addCommand(clusterCommand(io));
  // Commands added with addCommand inherit none of these settings: set them on each.
  for (const command of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    command.exitOverride().showHelpAfterError().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // commander's own default, 80 columns unless the stream is a terminal, for these streams
      getOutHelpWidth: () => (io.stdout.isTTY && io.stdout.columns) || 80,
      getErrHelpWidth: () => (io.stderr.isTTY && io.stderr.columns) || 80,
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    // Help asked for exits 0; help shown because no command was given is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.stderr.write(`shared-ndarray: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
