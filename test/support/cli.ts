/** Runs the `shared-ndarray` command in this process, as test/cli/*.test.ts check it. */
import { Writable } from 'node:stream';
import { run as runCli } from '../../src/cli/run.js';

export interface CliRun { code: number; stdout: string; stderr: string }

/** A stream that keeps what is written; like a pipe, it is no terminal. */
function recorder(): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** `shared-ndarray ...args`: its exit code and what it wrote to stdout and stderr. */
export async function cli(...args: string[]): Promise<CliRun> {
  const stdout = recorder();
  const stderr = recorder();
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
