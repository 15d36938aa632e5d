/**
 * The benchmark runner's help and usage errors (bench/run.ts), in this process: none of them runs
 * a suite. That `shared-ndarray bench` starts the compiled runner as a process and passes its
 * arguments, exit code and streams through is checked once in test/cli/main.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../bench/run.js';
import { SUITE_NAMES } from '../../bench/suites/index.js';
import type { CliRun } from '../support/cli.js';

async function bench(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

describe('shared-ndarray bench: help and usage errors', () => {
  it.each([['--help'], ['-h']])("%s is the runner's help: the suites, the options and where the results go; exit 0", async (help) => {
    const r = await bench(help);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: shared-ndarray bench \[options\] \[suite\.\.\.\]/);
    for (const option of ['--quick', '--smoke', '--json', '--out <dir>', '--docs <file>']) expect(r.stdout).toContain(option);
    expect(r.stdout).toContain('./shared-ndarray-bench');
    for (const name of SUITE_NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it.each([
    [['nope'], /'nope'.*Allowed choices are sieve, seed, pool, zerocopy, ndarray, sync, alloc, startup, manager, io/],
    [['pool', 'nope', '--quick'], /'nope'/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('bench %j is a usage error: exit 2, the usage on stderr, nothing run', async (args, message) => {
    const r = await bench(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: shared-ndarray bench/);
  });
});
