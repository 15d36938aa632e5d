import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { rejection, thrown } from '../support/assert.js';
import { it, sleep, type Track } from '../support/pools.js';
import {
  ArgumentError, Pool, PoolStateError, SharedNDArrayError, WorkerDiedError, WorkerStartError, zeros, type PoolOptions,
} from '../../src/index.js';
import { defineWorker, isWorkerDefinition } from '../../src/worker.js';

/**
 * What goes wrong around a pool: workers that die mid-task, worker modules that cannot start,
 * bad constructor arguments and definitions, and the pool's effect on its host process (exit,
 * signal handlers), the latter checked in child processes that run the compiled dist/.
 */

const support = (file: string): URL => new URL(`../support/${file}`, import.meta.url);
const BASIC = support('pool-basic.mjs');

type Basic = typeof import('../support/pool-basic.mjs');

function basicPool(track: Track, options: PoolOptions = {}): Pool<Basic> {
  return track(new Pool<Basic>(BASIC, { size: 2, ...options }));
}

/**
 * Runs `pool.size` barrier tasks at once and returns their thread ids. They only all return if
 * they run at the same time on `size` different threads, so this proves the pool has `size`
 * live workers.
 */
async function liveThreads(pool: Pool<Basic>): Promise<number[]> {
  const counter = zeros([1], 'int32');
  const ids = await Promise.all(Array.from({ length: pool.size }, () => pool.apply('barrier', counter, pool.size)));
  expect(new Set(ids).size).toBe(pool.size);
  return ids;
}

/** The thread id in a WorkerDiedError message. */
function deadThread(error: Error): number {
  const match = /^worker \(thread (\d+)\) died: /.exec(error.message);
  if (!match) throw new Error(`no thread id in ${JSON.stringify(error.message)}`);
  return Number(match[1]);
}

/**
 * Runs a script of test/support/ with node; rejects if it fails or runs longer than `timeoutMs`.
 * `ms` is how long it ran, `exitMs` how long it took to exit after its last output. The bound
 * only stops a hang, under the test's 30 s: what the tests time is `exitMs` (at load average 24,
 * pool-child-idle.mjs was killed at the 8 s this was).
 */
function runChild(script: string, args: string[] = [], timeoutMs = 20_000): Promise<{ stdout: string; stderr: string; ms: number; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, [fileURLToPath(support(script)), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; last = performance.now(); });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; last = performance.now(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const now = performance.now();
      if (code === 0) resolve({ stdout, stderr, ms: now - started, exitMs: now - last });
      else reject(new Error(`${script} exited with ${code ?? signal}; stderr: ${stderr}`));
    });
  });
}

/** runChild(script, args) once, for the tests that share that run. */
function sharedChild(script: string, args: string[] = []): () => ReturnType<typeof runChild> {
  let run: ReturnType<typeof runChild> | undefined;
  return () => (run ??= runChild(script, args));
}

describe('process lifetime and signals', () => {
  // Thread files share their process (vitest.config.ts), so this need not be the process's first
  // pool; the first one is checked in a fresh process by the SIGINT tests below ('after').
  it('a SIGINT listener the host adds while the pool starts stays installed', async ({ track }) => {
    const host = (): void => {};
    try {
      const pool = track(new Pool<Basic>(BASIC, { size: 1 }));
      process.on('SIGINT', host); // while the pool is still loading threads
      await pool.ready();
      expect(await pool.apply('add', 1, 2)).toBe(3);
      expect(process.listeners('SIGINT')).toContain(host);
    } finally {
      process.off('SIGINT', host);
    }
  });

  it("creating and using a pool leaves the process's SIGINT and SIGTERM listeners as they were", async ({ track }) => {
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    const pool = basicPool(track, { size: 1 });
    await pool.ready();
    expect(await pool.apply('add', 1, 2)).toBe(3);
    expect(process.listeners('SIGINT')).toEqual(before.SIGINT);
    expect(process.listeners('SIGTERM')).toEqual(before.SIGTERM);
  });

  // one child for these two: its pool reports the callback's error, then is left open
  const idleChild = sharedChild('pool-child-idle.mjs');
  const callbackLine = (line: string): boolean => line.startsWith('get: ') || line.startsWith('uncaught: ');

  it.concurrent('an AsyncResult callback that throws surfaces as an uncaught exception; get() still has the result', async () => {
    const { stdout } = await idleChild();
    expect(stdout.trim().split('\n').filter(callbackLine).sort()).toEqual(['get: 9', 'uncaught: bug in callback']);
  });

  it.concurrent('a pool that was used but never closed does not keep the process alive', async () => {
    const { stdout, stderr, exitMs } = await idleChild();
    // every line but the callback test's
    expect(stdout.trim().split('\n').filter((line) => !callbackLine(line))).toEqual([
      JSON.stringify({ squares: [1, 4, 9, 16], failure: 'expected', death: 'WorkerDiedError', uncaught: 'WorkerDiedError', sum: 42 }),
      // the last task was not awaited: its busy worker kept the process alive until it finished
      'last task',
    ]);
    expect(stderr).toBe('');
    // timed from the last task's output, not from the start, which a busy machine makes slow
    expect(exitMs).toBeLessThan(1_000);
  });

  /** Starts pool-child-signals.mjs, sends SIGINT once it says it is ready, and collects the outcome. */
  function sigintChild(mode: 'before' | 'after'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [fileURLToPath(support('pool-child-signals.mjs')), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!sent && stdout.includes('ready for SIGINT\n')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  for (const mode of ['before', 'after'] as const) {
    it.concurrent(`SIGINT runs the host's own handler (installed ${mode} new Pool()) and the pool keeps working`, async () => {
      const { code, signal, stdout, stderr } = await sigintChild(mode);
      // Not killed by the signal, no output lost: the host handler ran and used the pool.
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
      const [summary, ...rest] = stdout.trim().split('\n');
      const counts = JSON.parse(summary ?? 'null') as {
        initial: Record<string, number>; before: Record<string, number>; now: Record<string, number>; hostHandlerInstalled: boolean; first: number;
      };
      expect(counts.first).toBe(3);
      expect(counts.hostHandlerInstalled).toBe(true);
      // threads' own SIGINT/SIGTERM handlers are gone; the host's is the only one added.
      expect(counts.now).toEqual({ SIGINT: counts.initial.SIGINT! + 1, SIGTERM: counts.initial.SIGTERM });
      expect(rest).toEqual(['ready for SIGINT', 'host handler: SIGINT 1', 'pool after SIGINT: 42', 'terminated']);
    });
  }
});

describe.concurrent('worker death', () => {
  it('process.exit(3) in a task rejects it with WorkerDiedError; the pool replaces the worker and goes on', async ({ track }) => {
    const pool = basicPool(track);
    await pool.ready();
    const before = await liveThreads(pool);
    // Two idle workers: the slow task goes to one, the exit to the other.
    const other = pool.apply('sleepThen', 400, 'unaffected');
    const error = await rejection(pool.apply('exit', 3));
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error).toBeInstanceOf(SharedNDArrayError);
    expect(error.message).toMatch(/^worker \(thread \d+\) died: it exited with code 3$/);
    const dead = deadThread(error);
    expect(before).toContain(dead);
    expect(await other).toBe('unaffected');

    expect(await pool.apply('add', 2, 2)).toBe(4);
    const after = await liveThreads(pool);
    expect(after).not.toContain(dead);
    expect(after.filter((id) => before.includes(id))).toHaveLength(1);
  });

  it('an uncaught exception outside the task (setTimeout throw) rejects the waiting task with WorkerDiedError', async ({ track }) => {
    const pool = basicPool(track);
    await pool.ready();
    const before = await liveThreads(pool);
    const other = pool.apply('sleepThen', 600, 'unaffected');
    const started = performance.now();
    const error = await rejection(pool.apply('uncaughtLater', 'late x'));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.message).toMatch(/^worker \(thread \d+\) died: uncaught exception: Error: late x$/);
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe('late x');
    expect(await other).toBe('unaffected');
    const after = await liveThreads(pool);
    expect(after).not.toContain(deadThread(error));
    expect(after.filter((id) => before.includes(id))).toHaveLength(1);
  });

  it('running out of memory under resourceLimits rejects with WorkerDiedError, quickly', async ({ track }) => {
    const pool = basicPool(track, { resourceLimits: { maxOldGenerationSizeMb: 32 } });
    await pool.ready();
    const before = await liveThreads(pool);
    const other = pool.apply('sleepThen', 300, 'unaffected');
    const started = performance.now();
    const error = await rejection(pool.apply('allocateForever'));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.message).toMatch(/^worker \(thread \d+\) died: /);
    expect(error.message).toContain('memory limit');
    expect(error.message).toContain('(raise resourceLimits or use less memory per task)');
    expect((error.cause as { code?: unknown }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    expect(await other).toBe('unaffected');
    expect(await pool.apply('add', 20, 22)).toBe(42);
    const after = await liveThreads(pool);
    expect(after.filter((id) => before.includes(id))).toHaveLength(1);
  });

  it('a worker that dies while idle is replaced and never handed another task', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    expect(await pool.apply('exitLater', 50, 6)).toBe('returned');
    await sleep(500); // the idle thread has exited by now
    // Two tasks at once on a one-worker pool: both run on the live worker, one after the other.
    expect(await Promise.all([pool.apply('add', 1, 2), pool.apply('add', 3, 4)])).toEqual([3, 7]);
    expect(await liveThreads(pool)).toHaveLength(1);
  }, 10_000);

  it('a death inside a map chunk rejects the map; queued work runs on the replacement, also after close()', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    const inMap = await rejection(pool.map('exit', [4]));
    expect(inMap).toBeInstanceOf(WorkerDiedError);
    expect(inMap.message).toContain('exited with code 4');

    const died = rejection(pool.apply('exit', 5));
    const queued = pool.starmap('add', [[1, 2], [3, 4]]);
    const queuedApply = pool.apply('add', 40, 2);
    pool.close();
    await pool.join();
    const error = await died;
    expect(error).toBeInstanceOf(WorkerDiedError);
    expect(error.message).toContain('exited with code 5');
    expect(await queued).toEqual([3, 7]);
    expect(await queuedApply).toBe(42);
  });
});

describe('worker modules that cannot start', () => {
  it('a main thread blocked past startTimeout does not fail workers that started in time', async ({ track }) => {
    const starts = zeros([1], 'int32');
    const pool = track(new Pool(support('pool-initializer.mjs'), { size: 1, startTimeout: 200, initializer: 'countStarts', initargs: [starts] }));
    // The worker starts while the event loop is blocked (waiting rather than spinning leaves it the
    // cores): until its initializer, its last step before the handshake, has run, then 300 ms
    // for the handshake to be posted, and past startTimeout in any case. A fixed 1.5 s did the
    // same on a busy machine, and waited out 1.5 s on an idle one.
    const blocked = performance.now();
    while (Atomics.load(starts.data, 0) === 0 && performance.now() - blocked < 10_000) Atomics.wait(starts.data, 0, 0, 10);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    expect(performance.now() - blocked).toBeGreaterThan(250);
    await pool.ready();
    expect(await pool.apply('whoAmI')).toEqual([expect.any(Number), 'counted']);
  });

  const broken = [
    ['pool-no-definition.mjs', 'does not export a defineWorker() definition: add `export default defineWorker({ ... })`'],
    ['pool-throws-at-import.mjs', 'Error: pool-throws-at-import: module evaluation failed on purpose'],
    ['pool-syntax-error.mjs', 'SyntaxError: Unexpected token'],
    ['pool-two-definitions.mjs', 'exports 2 defineWorker() definitions (first, second); export exactly one, preferably as the default export'],
  ] as const;

  for (const [file, fragment] of broken) {
    it.concurrent(`${file}: ready() and every task reject with WorkerStartError; the pool closes and terminates`, async ({ track }) => {
      const url = support(file);
      const pool = track(new Pool(url, { size: 2 }));
      const early = rejection(pool.apply('add', 1, 2));
      const started = performance.now();
      const error = await rejection(pool.ready());
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(WorkerStartError);
      expect(error.message).toContain(`Pool: worker module ${url.href} could not start: worker failed to start: `);
      expect(error.message).toContain(fragment);
      expect(error.message.split('worker failed to start').length, error.message).toBe(2);
      expect(error.cause).toBeInstanceOf(WorkerStartError);
      // Tasks queued before the failure, and all later ones, fail with the same error.
      expect(await early).toBe(error);
      expect(await rejection(pool.apply('add', 1, 2))).toBe(error);
      expect(await rejection(pool.map('add', [1, 2]))).toBe(error);
      expect(await rejection(pool.map('add', []))).toBe(error);
      expect(thrown(() => pool.applyAsync('add', [1, 2]))).toBe(error);
      expect(thrown(() => pool.mapAsync('add', [1]))).toBe(error);
      expect(thrown(() => pool.imap('add', [1]))).toBe(error);
      pool.close();
      await pool.join();
      await pool.terminate();
    });
  }

  it.concurrent('a single named definition is found without a default export', async ({ track }) => {
    const pool = track(new Pool(support('pool-named-definition.mjs'), { size: 1 }));
    expect(await pool.apply('named', 7)).toBe('named 7');
    await expect(pool.apply('helper')).rejects.toThrow("has no function \"helper\" (it defines 'named')");
  });

  it.concurrent('a default definition is the one used when the module also exports a named one', async ({ track }) => {
    const pool = track(new Pool(support('pool-default-and-named.mjs'), { size: 1 }));
    expect(await pool.apply('main', 7)).toBe('main 7');
    await expect(pool.apply('other')).rejects.toThrow("has no function \"other\" (it defines 'main')");
  });

  it.concurrent('a .mts worker module is loaded through tsx like a .ts one', async ({ track }) => {
    const pool = track(new Pool(support('pool-typed.mts'), { size: 1 }));
    expect(await pool.apply('typed', 7)).toBe('typed 7');
  });

  it.concurrent('a module that never finishes loading fails after startTimeout with WorkerStartError', async ({ track }) => {
    const pool = track(new Pool(support('pool-hangs-at-import.mjs'), { size: 2, startTimeout: 300 }));
    const task = rejection(pool.apply('anything'));
    const started = performance.now();
    const error = await rejection(pool.ready());
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(WorkerStartError);
    expect(error.message).toContain('could not start: worker failed to start: its module did not load within 300 ms (startTimeout)');
    expect(await task).toBe(error);
    await pool.terminate();
  });

  // one child for these two tests and the three modules: a timer or a loading thread that any of
  // their pools leaked would hold it
  const files = ['pool-no-definition.mjs', 'pool-throws-at-import.mjs', 'pool-syntax-error.mjs'];
  const startFailureChild = sharedChild('pool-child-start-failure.mjs', files.map((file) => `./${file}`));
  type FailureLine = { file: string; ready: string; task: string };
  const startFailureLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as FailureLine | { terminated: { task: string } });

  it.concurrent('terminate() stops workers that are still loading their module: the child exits at once', async () => {
    const { stdout, stderr, exitMs } = await startFailureChild();
    expect(startFailureLines(stdout).filter((line) => 'terminated' in line)).toEqual([{ terminated: { task: 'PoolStateError' } }]);
    expect(stderr).toBe('');
    // it prints once terminate() resolved; a loading worker left running would hold it ~10 s more
    expect(exitMs).toBeLessThan(3_000);
  });

  it.concurrent('after a start failure no timer keeps a process alive: the child exits within ~3 s', async () => {
    const { stdout, stderr, exitMs } = await startFailureChild();
    const lines = startFailureLines(stdout).filter((line): line is FailureLine => 'file' in line);
    expect(lines.map(({ file }) => file).sort()).toEqual(files.map((file) => `./${file}`).sort());
    for (const { file, ready, task } of lines) {
      expect(ready).toMatch(/^WorkerStartError: Pool: worker module .* could not start: worker failed to start: /);
      expect(ready).toContain(file.slice(2));
      expect(task).toBe('WorkerStartError');
    }
    expect(stderr).toBe('');
    // timed from its output, after the failures: a leaked start-up timer (10 s) would hold it
    // far longer; from the start, a busy machine's slow process start-up could pass 3 s alone
    expect(exitMs).toBeLessThan(3_000);
  });
});

describe.concurrent('Pool constructor validation', () => {
  it('an argument or a result structured clone cannot copy rejects that call, and the worker goes on', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    try {
      const sent = await rejection(pool.apply('echo', () => 1));
      expect(sent).toBeInstanceOf(ArgumentError);
      expect(sent.message).toMatch(/^pool\.apply: invalid argument 'args\[0\]': .*could not be cloned.* \(arguments cross by structured clone/);
      expect((sent.cause as Error).name).toBe('DataCloneError');
      const returned = await rejection(pool.apply('returnFunction'));
      expect(returned.name).toBe('DataCloneError');
      expect(returned.message).toContain('could not be cloned');
      expect(await pool.apply('add', 3, 4)).toBe(7);
    } finally {
      await pool.terminate();
    }
  });

  it('refuses unknown options, bad resource limits and start timeouts setTimeout cannot keep', () => {
    expect(thrown(() => new Pool(BASIC, { sise: 2 } as never)).message)
      .toBe("Pool: invalid argument 'options': unknown option \"sise\" (expected one of 'size', 'resourceLimits', 'startTimeout', 'initializer', 'initargs', 'maxQueue', 'maxTasksPerChild', 'idleTimeout', 'spinWait')");
    expect(() => new Pool(BASIC, { resourceLimits: 'lots' as never })).toThrow("Pool: invalid argument 'options.resourceLimits': expected an options object, got \"lots\"");
    expect(() => new Pool(BASIC, { resourceLimits: { maxOldGenerationSizeMb: 'big' as never } }))
      .toThrow("Pool: invalid argument 'options.resourceLimits.maxOldGenerationSizeMb': expected a positive number of megabytes, got \"big\"");
    for (const bad of [0, -1, Infinity, NaN]) {
      expect(() => new Pool(BASIC, { resourceLimits: { stackSizeMb: bad } }))
        .toThrow(`Pool: invalid argument 'options.resourceLimits.stackSizeMb': expected a positive number of megabytes, got ${bad}`);
    }
    expect(() => new Pool(BASIC, { resourceLimits: { heap: 1 } as never })).toThrow('unknown option "heap"');
    expect(() => new Pool(BASIC, { startTimeout: 2 ** 31 })).toThrow("Pool: invalid argument 'options.startTimeout': expected at most 2147483647 ms, got 2147483648");
    for (const bad of [-1, 0.5, 1001, Infinity, NaN, '100']) {
      expect(() => new Pool(BASIC, { spinWait: bad as never }))
        .toThrow(`Pool: invalid argument 'options.spinWait': expected an integer of microseconds from 0 to 1000, got ${typeof bad === 'string' ? '"100"' : bad}`);
    }
  });

  it('refuses relative paths, missing files and non-file URLs with ArgumentError', () => {
    const relative = thrown(() => new Pool('test/support/pool-basic.mjs'));
    expect(relative).toBeInstanceOf(ArgumentError);
    expect(relative.message).toBe("Pool: invalid argument 'workerModule': expected a file URL or an absolute path (e.g. new URL('./my.worker.js', import.meta.url)), got \"test/support/pool-basic.mjs\"");
    expect(() => new Pool('./pool-basic.mjs')).toThrow(ArgumentError);
    expect(() => new Pool(42 as never)).toThrow("Pool: invalid argument 'workerModule': expected a file URL or an absolute path");

    const missing = support('pool-does-not-exist.mjs');
    const noFile = thrown(() => new Pool(missing));
    expect(noFile).toBeInstanceOf(ArgumentError);
    // a .mjs name also looks for its .mts sibling, as TypeScript's resolution does
    expect(noFile.message).toBe(`Pool: invalid argument 'workerModule': no such file: ${fileURLToPath(missing)} (nor ${fileURLToPath(missing).replace(/\.mjs$/, '.mts')})`);
    expect(() => new Pool(fileURLToPath(missing))).toThrow(`no such file: ${fileURLToPath(missing)}`);
    expect(() => new Pool(missing.href)).toThrow(`no such file: ${fileURLToPath(missing)}`);

    const web = thrown(() => new Pool(new URL('https://example.com/worker.mjs')));
    expect(web).toBeInstanceOf(ArgumentError);
    expect(web.message).toBe("Pool: invalid argument 'workerModule': expected a file: URL, got \"https://example.com/worker.mjs\"");
    expect(() => new Pool(new URL('data:text/javascript,export default 1'))).toThrow('expected a file: URL');
    expect(() => new Pool('https://example.com/worker.mjs')).toThrow(ArgumentError);
  });

  it('refuses sizes and start timeouts that are not positive integers, and non-object options', () => {
    for (const size of [0, 1.5, -1, Number.NaN, Infinity, '2']) {
      const error = thrown(() => new Pool(BASIC, { size: size as number }));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/^Pool: invalid argument 'options\.size': expected a positive integer, got /);
    }
    expect(thrown(() => new Pool(BASIC, { size: 0 })).message).toBe("Pool: invalid argument 'options.size': expected a positive integer, got 0");
    expect(thrown(() => new Pool(BASIC, { size: 1.5 })).message).toBe("Pool: invalid argument 'options.size': expected a positive integer, got 1.5");
    expect(() => new Pool(BASIC, { startTimeout: 0 })).toThrow("Pool: invalid argument 'options.startTimeout': expected a positive integer, got 0");
    expect(() => new Pool(BASIC, null as never)).toThrow("Pool: invalid argument 'options': expected an options object, got null");
  });

  it('takes a file URL, a file: string or an absolute path', async ({ track }) => {
    for (const module of [BASIC, BASIC.href, fileURLToPath(BASIC)]) {
      const pool = track(new Pool<Basic>(module, { size: 1 }));
      expect(await pool.apply('add', 1, 2)).toBe(3);
    }
  });
});

describe.concurrent('defineWorker validation', () => {
  it("reserves 'then', which would make the pool's handle on a worker look like a promise", () => {
    // biome-ignore lint/suspicious/noThenProperty: the test is that defineWorker refuses it
    expect(thrown(() => defineWorker({ then: () => 1, ok: () => 2 })).message).toContain("defineWorker: invalid argument 'functions.then': 'then' is reserved");
  });

  it('refuses a non-object, an empty object, non-function values and reserved names with ArgumentError', () => {
    const cases: Array<[unknown, string]> = [
      [null, "defineWorker: invalid argument 'functions': expected an object of named functions, got null"],
      [42, "defineWorker: invalid argument 'functions': expected an object of named functions, got 42"],
      [[() => 1], "defineWorker: invalid argument 'functions': expected an object of named functions, got [function (anonymous)]"],
      [() => 1, "defineWorker: invalid argument 'functions': expected an object of named functions, got function (anonymous)"],
      [{}, "defineWorker: invalid argument 'functions': expected at least one function, got an empty object"],
      [{ ok: () => 1, bad: 1 }, "defineWorker: invalid argument 'functions.bad': expected a function, got 1"],
      [{ bad: 'text' }, "defineWorker: invalid argument 'functions.bad': expected a function, got \"text\""],
      [{ __sharedNdarrayX: () => 1 }, "defineWorker: invalid argument 'functions.__sharedNdarrayX': names starting with '__sharedNdarray' are reserved"],
      [{ __sharedNdarrayChunk: () => 1 }, "defineWorker: invalid argument 'functions.__sharedNdarrayChunk': names starting with '__sharedNdarray' are reserved"],
    ];
    for (const [input, message] of cases) {
      const error = thrown(() => defineWorker(input as never));
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toBe(message);
    }
  });

  it('returns a frozen definition of the same functions', () => {
    const add = (a: number, b: number): number => a + b;
    const definition = defineWorker({ add });
    expect(isWorkerDefinition(definition)).toBe(true);
    expect(isWorkerDefinition({ add })).toBe(false);
    expect(Object.keys(definition)).toEqual(['add']);
    expect(definition.add).toBe(add);
    expect(Object.isFrozen(definition)).toBe(true);
  });
});

describe.concurrent('refusals after the end', () => {
  it('a terminated pool refuses work with PoolStateError, and join() on it resolves', async ({ track }) => {
    const pool = basicPool(track, { size: 1 });
    await pool.terminate();
    const error = await rejection(pool.apply('add', 1, 2));
    expect(error).toBeInstanceOf(PoolStateError);
    expect(error.message).toBe('pool.apply: the pool is terminated; it takes no new work');
    await pool.join();
    pool.close(); // too late to matter: the pool stays terminated
    expect((await rejection(pool.apply('add', 1, 2))).message).toBe('pool.apply: the pool is terminated; it takes no new work');
  });
});
