/**
 * The compiled `shared-ndarray` command (dist/cli/main.js, built by the global setup), run as a
 * child process the way a user runs it: an environment variable read at start-up, and the bench
 * command running the compiled runner in a child of its own. The rest of the command is checked
 * in-process (run.test.ts, sieve.thread.test.ts, and the runner's help and usage errors in
 * ../bench/run.test.ts); its exit codes and streams as a process (sieve --json, usage errors, the
 * runner's help and usage error through the command) on the installed bin in package.e2e.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = 'dist/cli/main.js';

function run(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
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

describe.concurrent('shared-ndarray as a process', () => {
  it('workers that cannot start in time (THREADS_WORKER_INIT_TIMEOUT=1, the start timeout threads users know) exit with 1', async () => {
    const r = await run({ THREADS_WORKER_INIT_TIMEOUT: '1' }, 'sieve', '1000', '-t', '1');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^shared-ndarray: Pool: worker module file:.*sieve\.worker\.js could not start: worker failed to start: its module did not load within 1 ms \(startTimeout\)/);
    expect(r.stderr).not.toMatch(/Usage: shared-ndarray/);
  });
});

describe.concurrent('shared-ndarray bench', () => {
  // --smoke (each case measured once): this checks that the runner works, not what it measures
  it('bench zerocopy --smoke --json --out <dir> runs the compiled suite and prints its results as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    try {
      const r = await run({}, 'bench', 'zerocopy', '--smoke', '--json', '--out', dir, '--docs', join(dir, 'page.md'));
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { run: string; suites: Array<{ suite: string; run: string; quick: boolean; smoke?: boolean; cases: Array<{ name: string; median: number | null }>; comparisons: Array<{ label: string; ratio: number | null; limit?: number }> }> };
      expect(out.suites).toHaveLength(1);
      const [suite] = out.suites;
      expect(suite).toMatchObject({ suite: 'zerocopy', quick: true, smoke: true, run: out.run });
      expect(Date.parse(out.run)).toBeGreaterThan(Date.now() - 60_000);
      expect(suite!.cases).toHaveLength(6);
      for (const c of suite!.cases) expect(c.median).toBeGreaterThan(0);
      expect(suite!.comparisons.find((c) => c.limit === 2)?.label).toBe('SharedNDArray hand-off at 2 MiB / at 1 MiB');
      // progress on stderr, one line per case
      expect(r.stderr.split('\n').filter((line) => /^ {4}\S.*: [\d.]+ (ns|µs|ms|s)\b/.test(line))).toHaveLength(6);
      // --smoke, like --quick, writes to <dir>/quick/; the page is made from full runs of every suite only
      expect(existsSync(join(dir, 'quick', 'zerocopy.json')) && existsSync(join(dir, 'quick', 'zerocopy.svg'))).toBe(true);
      expect(r.stderr).toContain(`did not write ${join(dir, 'page.md')}: the performance page is made from a full run of every suite`);
      expect(existsSync(join(dir, 'page.md'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
