#!/usr/bin/env node
/** The `shared-ndarray` command. Usage errors exit with 2, failures with 1. */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { benchCommand } from './bench-command.js';
import { sieveCommand } from './sieve-command.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('shared-ndarray')
  .description('numpy-like shared-memory arrays for worker threads: demos and benchmarks')
  .version(version)
  .showHelpAfterError()
  .exitOverride()
  .addCommand(sieveCommand())
  .addCommand(benchCommand());

// exitOverride applies to subcommands only when set on them too.
for (const command of program.commands) command.exitOverride().showHelpAfterError();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help asked for exits 0; help shown because no command was given is a usage error.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`shared-ndarray: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
