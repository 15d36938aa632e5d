/**
 * The compiled `shared-ndarray` command (dist/cli/main.js, built by the global setup), run as a
 * child process the way a user runs it. Under execFile stderr is a pipe, not a TTY, so no
 * progress bar may appear: a successful run writes nothing to stderr.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../bench/suites/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = 'dist/cli/main.js';
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

interface Run { code: number; stdout: string; stderr: string }

function run(...args: string[]): Promise<Run> {
  return runWithEnv({}, ...args);
}

function runWithEnv(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

interface JsonResult {
  n: number;
  count: number;
  threads: number;
  seconds: number;
  oneThreadSeconds: number | null;
  speedup: number | null;
  workersStartedBeforeTiming: boolean;
}

function parseJson(r: Run): JsonResult {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(lines(r.stdout)).toHaveLength(1);
  return JSON.parse(r.stdout) as JsonResult;
}

describe('shared-ndarray sieve: output', () => {
  it('--json prints one JSON line with n, count, threads, seconds and the speedup', async () => {
    const result = parseJson(await run('sieve', '1e6', '--json', '-t', '2'));
    expect(result.n).toBe(1_000_000);
    expect(result.count).toBe(78498);
    expect(result.threads).toBe(2);
    expect(typeof result.seconds).toBe('number');
    expect(Number.isFinite(result.seconds) && result.seconds > 0).toBe(true);
    expect(typeof result.oneThreadSeconds).toBe('number');
    expect(result.oneThreadSeconds!).toBeGreaterThan(0);
    expect(typeof result.speedup).toBe('number');
    expect(result.speedup!).toBeCloseTo(result.oneThreadSeconds! / result.seconds, 10);
    expect(result.workersStartedBeforeTiming).toBe(true);
  });

  it('text output: the count, the threads line, the 1 thread line and the speedup line', async () => {
    const r = await run('sieve', '1e6', '-t', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(4);
    expect(out[0]).toBe('pi(1000000) = 78498');
    expect(out[1]).toMatch(/^2 threads: \d+\.\d{3} s$/);
    expect(out[2]).toMatch(/^1 thread: +\d+\.\d{3} s$/);
    expect(out[3]).toMatch(/^speedup: +\d+\.\d{2}x on 2 threads$/);
  });

  it('-t 1 prints no speedup line (and no separate one-thread run)', async () => {
    const r = await run('sieve', '1e6', '-t', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('pi(1000000) = 78498');
    expect(out[1]).toMatch(/^1 thread: +\d+\.\d{3} s$/);
    expect(r.stdout).not.toMatch(/speedup/);

    const json = parseJson(await run('sieve', '1e6', '-t', '1', '--json'));
    expect(json.threads).toBe(1);
    expect(json.count).toBe(78498);
    // the run itself is the one-thread baseline
    expect(json.oneThreadSeconds).toBe(json.seconds);
  });

  it('--no-compare skips the one-thread run and the speedup', async () => {
    const r = await run('sieve', '1e6', '-t', '2', '--no-compare');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('pi(1000000) = 78498');
    expect(out[1]).toMatch(/^2 threads: \d+\.\d{3} s$/);

    const json = parseJson(await run('sieve', '1e6', '-t', '2', '--no-compare', '--json'));
    expect(json.count).toBe(78498);
    expect(json.threads).toBe(2);
    expect(json.oneThreadSeconds).toBeNull();
    expect(json.speedup).toBeNull();
  });

  it.each([
    ['1_000_000', 1_000_000, 78498],
    ['1e6', 1_000_000, 78498],
    ['1000000', 1_000_000, 78498],
    ['2.5e3', 2500, 367],
    ['0', 0, 0],
    ['1E2', 100, 25],
  ])('accepts n written as %s', async (text, n, count) => {
    const json = parseJson(await run('sieve', text, '--json', '-t', '1', '--no-compare'));
    expect(json.n).toBe(n);
    expect(json.count).toBe(count);
  });

  it('defaults --threads to os.availableParallelism()', async () => {
    const json = parseJson(await run('sieve', '1e5', '--json', '--no-compare'));
    expect(json.threads).toBe(availableParallelism());
    expect(json.count).toBe(9592);
  });
});

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
    const r = await run(...args);
    expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: shared-ndarray/);
  });

  it('no command at all is a usage error too (help on stderr, exit 2)', async () => {
    const r = await run();
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: shared-ndarray/);
    expect(r.code).toBe(2);
  });
});

describe('shared-ndarray: failures exit with 1 and print the error on stderr', () => {
  it('workers that cannot start in time (THREADS_WORKER_INIT_TIMEOUT=1, the start timeout threads users know)', async () => {
    const r = await runWithEnv({ THREADS_WORKER_INIT_TIMEOUT: '1' }, 'sieve', '1000', '-t', '1');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^shared-ndarray: Pool: worker module file:.*sieve\.worker\.js could not start: worker failed to start: its module did not load within 1 ms \(startTimeout\)/);
    expect(r.stderr).not.toMatch(/Usage: shared-ndarray/);
  });
});

describe('shared-ndarray: help and version', () => {
  it.each([[['--help']], [['-h']], [['help']]])('%j prints the usage on stdout and exits 0', async (args) => {
    const r = await run(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: shared-ndarray \[options\] \[command\]/);
    expect(r.stdout).toMatch(/sieve \[options\] <n>/);
  });

  it.each([[['sieve', '--help']], [['help', 'sieve']]])('%j prints the sieve usage and exits 0', async (args) => {
    const r = await run(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: shared-ndarray sieve \[options\] <n>/);
    expect(r.stdout).toMatch(/--threads/);
    expect(r.stdout).toMatch(/--no-compare/);
  });

  it.each([[['--version']], [['-V']]])('%j prints the package version and exits 0', async (args) => {
    const r = await run(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${version}\n`);
  });
});

describe('shared-ndarray bench', () => {
  it("--help is the runner's: the suites, the options and where the results go; exit 0", async () => {
    for (const help of ['--help', '-h']) {
      const r = await run('bench', help);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: shared-ndarray bench \[options\] \[suite\.\.\.\]/);
      for (const option of ['--quick', '--json', '--out <dir>', '--docs <file>']) expect(r.stdout).toContain(option);
      expect(r.stdout).toContain('./shared-ndarray-bench');
      for (const name of SUITE_NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
    expect((await run('--help')).stdout).toMatch(/bench \[suite-or-option\.\.\.\] +run the benchmark suites/);
  });

  it.each([
    [['bench', 'nope'], /'nope'.*Allowed choices are sieve, seed, pool, zerocopy, ndarray, sync, io/],
    [['bench', 'pool', 'nope', '--quick'], /'nope'/],
    [['bench', '--bogus'], /unknown option '--bogus'/],
  ])('%j is a usage error: exit 2, the usage on stderr, nothing run', async (args, message) => {
    const r = await run(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: shared-ndarray bench/);
  });

  it('bench zerocopy --quick --json --out <dir> runs the compiled suite and prints its results as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    try {
      const r = await run('bench', 'zerocopy', '--quick', '--json', '--out', dir, '--docs', join(dir, 'page.md'));
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { run: string; suites: Array<{ suite: string; run: string; quick: boolean; cases: Array<{ name: string; median: number | null }>; comparisons: Array<{ label: string; ratio: number | null; limit?: number }> }> };
      expect(out.suites).toHaveLength(1);
      const [suite] = out.suites;
      expect(suite).toMatchObject({ suite: 'zerocopy', quick: true, run: out.run });
      expect(Date.parse(out.run)).toBeGreaterThan(Date.now() - 60_000);
      expect(suite!.cases).toHaveLength(6);
      for (const c of suite!.cases) expect(c.median).toBeGreaterThan(0);
      expect(suite!.comparisons.find((c) => c.limit === 2)?.label).toBe('SharedNDArray hand-off at 100 MiB / at 1 MiB');
      // progress on stderr, one line per case
      expect(r.stderr.split('\n').filter((line) => /^ {4}\S.*: [\d.]+ (ns|µs|ms|s)\b/.test(line))).toHaveLength(6);
      // --quick results go to <dir>/quick/; the page is made from full runs of every suite only
      expect(existsSync(join(dir, 'quick', 'zerocopy.json')) && existsSync(join(dir, 'quick', 'zerocopy.svg'))).toBe(true);
      expect(r.stderr).toContain(`did not write ${join(dir, 'page.md')}: the performance page is made from a full run of every suite`);
      expect(existsSync(join(dir, 'page.md'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
