import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The compiled package root loads ops/ and sieve/ on first use, by require() of an ES module
 * (Node >= 20.19), and Node's built-in modules on first use too (process.getBuiltinModule): in a
 * fresh process, so nothing is loaded before the root's import. The processes run concurrently:
 * one for each deferred-subpath test, and one that the tests of what the root loads share
 * (support/root-loads.mjs makes each check before the next one loads more).
 */
const run = promisify(execFile);
const script = fileURLToPath(new URL('support/deferred-root.mjs', import.meta.url));

interface Loads {
  builtins: { atImport: string[]; afterPool: string[]; sum: number };
  lazy: { atImport: string[]; afterJsPool: string[]; afterNpy: string[]; sum: number; shape: number[] };
  names: { classes: number; misnamed: string[]; lock: string };
}
let loadsRun: Promise<Loads> | undefined;
/** What support/root-loads.mjs saw, from its one run. */
const loads = (): Promise<Loads> => (loadsRun ??= run(process.execPath, [fileURLToPath(new URL('support/root-loads.mjs', import.meta.url))], { timeout: 60_000 })
  .then(({ stdout, stderr }) => {
    expect(stderr).toBe('');
    return JSON.parse(stdout) as Loads;
  }));

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
    const { atImport, afterPool, sum } = (await loads()).builtins;
    for (const name of ['worker_threads', 'stream', 'fs/promises', 'perf_hooks', 'os', 'module']) {
      expect(atImport).not.toContain(name);
    }
    expect(afterPool).toContain('worker_threads');
    expect(sum).toBe(3);
  });

  it('keeps the name of every class it exports, and of one that names itself in its body', async () => {
    const { classes, misnamed, lock } = (await loads()).names;
    expect(classes).toBeGreaterThan(50);
    expect(misnamed).toEqual([]);
    expect(lock).toBe('Lock');
  });

  it('loads a module of LAZY_MODULES (the .npy header parser, the TypeScript compile) only when a function needs it', async () => {
    expect((await loads()).lazy).toEqual({
      atImport: [],
      afterJsPool: [],
      afterNpy: ['io/npy-descr.js', 'io/python-literal.js'],
      sum: 3,
      shape: [2, 3],
    });
  });
});
