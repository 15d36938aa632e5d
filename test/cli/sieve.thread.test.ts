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
  runs: number;
  timing: 'best';
  scratch: { shape: [number, number]; dtype: 'uint8'; buffer: string };
  segments: number;
  rows: Array<{ thread: number; segments: number }>;
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

  it('--json tells the scratch matrix, and which worker thread sieved how many segments in each row', async () => {
    // 4e7: three segments, so both rows of the [2, w] matrix are in play
    const result = parseJson(await cli('sieve', '4e7', '--json', '-t', '2', '-r', '2'));
    expect(result.count).toBe(2433654);
    expect(result).toMatchObject({ runs: 2, timing: 'best', segments: 3 });
    expect(result.scratch.shape[0]).toBe(2);
    expect(result.scratch.dtype).toBe('uint8');
    expect(result.rows).toHaveLength(2);
    // what the workers wrote in shared memory: every segment once, by two distinct worker threads
    expect(result.rows.reduce((a, r) => a + r.segments, 0)).toBe(3);
    const threads = result.rows.map((r) => r.thread);
    expect(threads.every((t) => Number.isInteger(t) && t > 0)).toBe(true);
    expect(new Set(threads).size).toBe(2);
  });

  it('text output: the count, the shared matrix and its rows, the threads line, the 1 thread line and the speedup line', async () => {
    const r = await cli('sieve', '4e7', '-t', '2', '--runs', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(8);
    expect(out[0]).toBe('pi(40000000) = 2433654');
    expect(out[1]).toMatch(/^shared: a \[2, \d+\] uint8 scratch matrix in one (SharedArrayBuffer|shared WebAssembly\.Memory), a row per worker, sieved in place$/);
    expect(out[2]).toMatch(/^ {2}row 0: worker thread \d+ sieved [0-3] of 3 segments$/);
    expect(out[3]).toMatch(/^ {2}row 1: worker thread \d+ sieved [0-3] of 3 segments$/);
    expect(out[4]).toMatch(/^ {2}copied: nothing; /);
    expect(out[5]).toMatch(/^2 threads: \d+\.\d{3} s {2}\(best of 3\)$/);
    expect(out[6]).toMatch(/^1 thread: +\d+\.\d{3} s {2}\(best of 3\)$/);
    expect(out[7]).toMatch(/^speedup: +\d+\.\d{2}x on 2 threads \(best runs; 2 threads and 1 alternating\)$/);
  });

  it('-t 1 prints no speedup line (and no separate one-thread run)', async () => {
    const r = await cli('sieve', '1_000_000', '-t', '1', '-r', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toHaveLength(5);
    expect(out[0]).toBe('pi(1000000) = 78498');
    expect(out[2]).toMatch(/^ {2}row 0: worker thread \d+ sieved 1 of 1 segments$/);
    expect(out[4]).toMatch(/^1 thread: +\d+\.\d{3} s$/); // one run: nothing to be the best of
    expect(r.stdout).not.toMatch(/speedup/);

    const json = parseJson(await cli('sieve', '1000000', '-t', '1', '--json'));
    expect(json.n).toBe(1_000_000);
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
    expect(out).toHaveLength(5);
    expect(out[0]).toBe('pi(1000000) = 78498');
    expect(out[4]).toMatch(/^2 threads: \d+\.\d{3} s {2}\(best of 5\)$/);

    const json = parseJson(await cli('sieve', '1_000_000', '-t', '2', '--no-compare', '--json'));
    expect(json.n).toBe(1_000_000);
    expect(json.count).toBe(78498);
    expect(json.threads).toBe(2);
    expect(json.oneThreadSeconds).toBeNull();
    expect(json.speedup).toBeNull();
  });

  // 1e6 as '1e6', '1_000_000' and '1000000' is read by the runs above (each starts workers of its
  // own, about 50 ms CPU each)
  it.each([
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
