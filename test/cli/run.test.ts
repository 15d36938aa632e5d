/**
 * The `shared-ndarray` command's argument handling, help and version, run in this process: none
 * of these starts a worker. The sieve runs are in sieve.thread.test.ts; main.e2e.test.ts runs
 * the compiled command as a child process, the way a user does, and the bench command (which
 * starts the runner as a process of its own).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('shared-ndarray: usage errors exit with 2 and print the usage on stderr', () => {
  it.each([
    [['sieve', 'abc'], /'abc'/],
    [['sieve', '-5'], /'-5'/],
    [['sieve', '1.5'], /'1\.5'/],
    [['sieve', '1e100'], /'1e100'/],
    [['sieve', '1e16'], /'1e16'/],
    [['sieve', ''], /''/],
    [['sieve'], /missing required argument 'n'/],
    [['sieve', '10', '-t', '0'], /'0'/],
    [['sieve', '10', '-t', 'x'], /'x'/],
    [['sieve', '10', '-t', '1.5'], /'1\.5'/],
    [['sieve', '10', '-t'], /argument missing/],
    [['sieve', '10', '--runs', '0'], /'0'/],
    [['sieve', '10', '-r', '2.5'], /'2\.5'/],
    [['frobnicate', '10'], /unknown command 'frobnicate'/],
    [['sieve', '10', '--bogus'], /unknown option '--bogus'/],
    [['--bogus'], /unknown option '--bogus'/],
    [['sieve', '10', '20'], /too many arguments|unknown command|excess/i],
  ])('%j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: shared-ndarray/);
  });

  it('no command at all is a usage error too (help on stderr, exit 2)', async () => {
    const r = await cli();
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: shared-ndarray/);
    expect(r.code).toBe(2);
  });
});

describe('shared-ndarray: help and version', () => {
  it.each([[['--help']], [['-h']], [['help']]])('%j prints the usage on stdout and exits 0', async (args) => {
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: shared-ndarray \[options\] \[command\]/);
    expect(r.stdout).toMatch(/sieve \[options\] <n>/);
    // (moved from cli/main.e2e.test.ts, which ran `--help` as a process for it)
    expect(r.stdout).toMatch(/bench \[suite-or-option\.\.\.\] +run the benchmark suites/);
  });

  it.each([[['sieve', '--help']], [['help', 'sieve']]])('%j prints the sieve usage and exits 0', async (args) => {
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: shared-ndarray sieve \[options\] <n>/);
    expect(r.stdout).toMatch(/--threads/);
    expect(r.stdout).toMatch(/--no-compare/);
  });

  it.each([[['--version']], [['-V']]])('%j prints the package version and exits 0', async (args) => {
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${version}\n`);
  });
});

