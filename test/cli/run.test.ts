/**
 * The `shared-ndarray` command's argument handling, help and version, run in this process: none
 * of these starts a worker. The sieve runs are in sieve.thread.test.ts; main.e2e.test.ts runs
 * the compiled command as a child process, the way a user does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchInvocation } from '../../src/cli/bench-command.js';
import { BENCH_SUITE_NAMES } from '../../src/cli/bench-suites.js';
import { cli } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
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

describe('shared-ndarray bench', () => {
  it('--help lists the suites and the options, and exits 0', async () => {
    const r = await cli('bench', '--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: shared-ndarray bench \[options\] \[suite\.\.\.\]/);
    expect(r.stdout).toMatch(/--quick/);
    expect(r.stdout).toMatch(/--json/);
    for (const name of BENCH_SUITE_NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect((await cli('--help')).stdout).toMatch(/bench \[options\] \[suite\.\.\.\]/);
  });

  it.each([
    [['bench', 'nope'], /'nope'.*Allowed choices are sieve, seed, pool, zerocopy, ndarray, sync, io/],
    [['bench', 'pool', 'nope', '--quick'], /'nope'/],
    [['bench', '--bogus'], /unknown option '--bogus'/],
  ])('%j is a usage error: exit 2, the usage on stderr, nothing run', async (args, message) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: shared-ndarray bench/);
  });

  it('where there is no bench/ folder (an installed package) it says where the suites are', () => {
    const root = mkdtempSync(join(tmpdir(), 'no-bench-'));
    try {
      const invocation = benchInvocation(root, ['pool', '--quick']);
      expect(invocation).toBeInstanceOf(Error);
      expect((invocation as Error).message).toMatch(/not part of the published package .*bench\/ folder.*npm ci.*`npx shared-ndarray bench pool --quick`/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const here = benchInvocation(ROOT, ['ndarray']);
    expect(here).not.toBeInstanceOf(Error);
    expect((here as { args: string[] }).args.slice(1)).toEqual([join(ROOT, 'bench', 'run.ts'), 'ndarray']);
  });
});
