/**
 * `shared-ndarray sieve`, run in this process: its pools run the compiled sieve worker from dist/.
 * Its output streams are no terminal, as under a pipe, so no progress bar may appear: a
 * successful run writes nothing to stderr.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cli, lines, type CliRun } from '../support/cli.js';

interface JsonResult {
  n: number;
  count: number;
  threads: number;
  seconds: number;
  oneThreadSeconds: number | null;
  speedup: number | null;
  workersStartedBeforeTiming: boolean;
}

function parseJson(r: CliRun): JsonResult {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(lines(r.stdout)).toHaveLength(1);
  return JSON.parse(r.stdout) as JsonResult;
}

describe('shared-ndarray sieve: output', () => {
  it('--json prints one JSON line with n, count, threads, seconds and the speedup', async () => {
    const result = parseJson(await cli('sieve', '1e6', '--json', '-t', '2'));
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
    const r = await cli('sieve', '1e6', '-t', '2');
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
    const r = await cli('sieve', '1e6', '-t', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('pi(1000000) = 78498');
    expect(out[1]).toMatch(/^1 thread: +\d+\.\d{3} s$/);
    expect(r.stdout).not.toMatch(/speedup/);

    const json = parseJson(await cli('sieve', '1e6', '-t', '1', '--json'));
    expect(json.threads).toBe(1);
    expect(json.count).toBe(78498);
    // the run itself is the one-thread baseline
    expect(json.oneThreadSeconds).toBe(json.seconds);
  });

  it('--no-compare skips the one-thread run and the speedup', async () => {
    const r = await cli('sieve', '1e6', '-t', '2', '--no-compare');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('pi(1000000) = 78498');
    expect(out[1]).toMatch(/^2 threads: \d+\.\d{3} s$/);

    const json = parseJson(await cli('sieve', '1e6', '-t', '2', '--no-compare', '--json'));
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
    const json = parseJson(await cli('sieve', text, '--json', '-t', '1', '--no-compare'));
    expect(json.n).toBe(n);
    expect(json.count).toBe(count);
  });

  it('defaults --threads to os.availableParallelism()', async () => {
    const json = parseJson(await cli('sieve', '1e5', '--json', '--no-compare'));
    expect(json.threads).toBe(availableParallelism());
    expect(json.count).toBe(9592);
  });
});
