import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The compiled package root loads ops/ and sieve/ on first use, by require() of an ES module
 * (Node >= 20.19), and Node's built-in modules on first use too (process.getBuiltinModule): in a
 * fresh process, so nothing is loaded before the root's import. Each test is a process of its
 * own, so they run concurrently.
 */
const run = promisify(execFile);
const script = fileURLToPath(new URL('support/deferred-root.mjs', import.meta.url));

describe.concurrent('the package root', () => {
  it('defers ops/ and sieve/ to their first use, as one instance of each module, in any thread', async () => {
    const { stdout, stderr } = await run(process.execPath, [script], { timeout: 60_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      sum: 45,
      methodReplaced: true,
      functions: [45, 4.5, 10, 1.25],
      constants: [true, true],
      sameModule: true,
      sameClass: true,
      samePool: true,
      roundTrip: 6,
      primes: 168,
      worker: 10,
    });
  });

  it('runs a deferred function or method called while an import() of its subpath is still loading', async () => {
    const { stdout, stderr } = await run(process.execPath, [fileURLToPath(new URL('support/deferred-root-race.mjs', import.meta.url))], { timeout: 60_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({ sum: 45, method: 4.5, primes: 25, sameModules: true });
  });

  it('loads none of the built-in modules a pool needs (threads, streams) until a pool starts', async () => {
    const { stdout, stderr } = await run(process.execPath, [fileURLToPath(new URL('support/root-builtins.mjs', import.meta.url))], { timeout: 60_000 });
    expect(stderr).toBe('');
    const { atImport, afterPool, sum } = JSON.parse(stdout) as { atImport: string[]; afterPool: string[]; sum: number };
    for (const name of ['worker_threads', 'stream', 'fs/promises', 'perf_hooks', 'os', 'module']) {
      expect(atImport).not.toContain(name);
    }
    expect(afterPool).toContain('worker_threads');
    expect(sum).toBe(3);
  });

  it('keeps the name of every class it exports, and of one that names itself in its body', async () => {
    const { stdout, stderr } = await run(process.execPath, [fileURLToPath(new URL('support/bundle-names.mjs', import.meta.url))], { timeout: 60_000 });
    expect(stderr).toBe('');
    const { classes, misnamed, lock } = JSON.parse(stdout) as { classes: number; misnamed: string[]; lock: string };
    expect(classes).toBeGreaterThan(50);
    expect(misnamed).toEqual([]);
    expect(lock).toBe('Lock');
  });

  it('loads a module of LAZY_MODULES (the .npy header parser, the TypeScript compile) only when a function needs it', async () => {
    const { stdout, stderr } = await run(process.execPath, [fileURLToPath(new URL('support/root-lazy-modules.mjs', import.meta.url))], { timeout: 60_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      atImport: [],
      afterJsPool: [],
      afterNpy: ['io/npy-descr.js', 'io/python-literal.js'],
      sum: 3,
      shape: [2, 3],
    });
  });
});
