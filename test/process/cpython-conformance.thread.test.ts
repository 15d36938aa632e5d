import { describe, expect, it } from 'vitest';
import { Process, ProcessStateError, Queue, TERMINATED_EXIT_CODE } from '../../src/index.js';
import { rejection, thrown } from '../support/assert.js';

/**
 * CPython's own Process tests (Lib/test/_test_multiprocessing.py: _TestProcess,
 * _TestSubclassingProcess), ported case by case in JS casing (docs/names.md). A Process is a
 * thread here: `threadId` stands for `pid`, `terminate()` gives Python's -SIGTERM exit code, and
 * the child functions are test/support/process-cpython.mjs's. Timeouts are milliseconds. Each
 * test has processes of its own: they run concurrently.
 */

const WORKER = new URL('../support/process-cpython.mjs', import.meta.url);
const make = (fn: string, args: unknown[] = [], options: { name?: string; daemon?: boolean } = {}): Process =>
  new Process({ module: WORKER, fn, args, ...options });

describe.concurrent('_TestProcess', () => {
  it('test_process (no kwargs: a JS function has none)', async () => {
    const q = new Queue();
    const args = [q, 1, 2];
    const p = make('test', args, { name: 'SomeProcess', daemon: true });
    expect(p.name).toBe('SomeProcess');
    expect(p.isAlive()).toBe(false);
    expect(p.daemon).toBe(true);
    expect(p.exitCode).toBeNull();
    p.start();
    expect(p.exitCode).toBeNull();
    expect(p.isAlive()).toBe(true);
    expect(await q.getAsync()).toEqual(args.slice(1));
    expect(await q.getAsync()).toBe(p.threadId);
    await p.join();
    expect(p.exitCode).toBe(0);
    expect(p.isAlive()).toBe(false);
    expect(String(p)).toBe("<Process name='SomeProcess' stopped exitcode=0 daemon>");
  });

  it('test_terminate', async () => {
    const p = make('testTerminate', [], { daemon: true });
    p.start();
    expect(p.isAlive()).toBe(true);
    expect(p.exitCode).toBeNull();
    // join(0) and join(-1) return at once, the process still alive
    await p.join(0);
    expect(p.isAlive()).toBe(true);
    await p.join(-1);
    expect(p.isAlive()).toBe(true);
    await p.terminate();
    await p.join();
    expect(p.isAlive()).toBe(false);
    await p.join();
    expect(p.exitCode).toBe(TERMINATED_EXIT_CODE);
    expect(TERMINATED_EXIT_CODE).toBe(-15);
  });

  it('test_recursion: processes start processes', async () => {
    const wconn = new Queue<number[]>();
    const root = make('testRecursion', [wconn, []]);
    root.start();
    await root.join();
    expect(root.exitCode).toBe(0);
    const result: number[][] = [];
    while (!wconn.empty()) result.push(wconn.get());
    expect(result).toEqual([[], [0], [0, 0], [0, 1], [1], [1, 0], [1, 1]]);
  });

  it('test_many_processes (5, as CPython under spawn): all exit 0; terminated right after start, all -SIGTERM', async () => {
    const N = 5;
    let procs = Array.from({ length: N }, () => make('testSleep', [10]));
    for (const p of procs) p.start();
    for (const p of procs) await p.join();
    for (const p of procs) expect(p.exitCode).toBe(0);
    procs = Array.from({ length: N }, () => make('testTerminate'));
    for (const p of procs) p.start();
    for (const p of procs) await p.terminate();
    for (const p of procs) await p.join();
    for (const p of procs) expect(p.exitCode).toBe(TERMINATED_EXIT_CODE);
  });

  it('a process is started once; join and terminate before start are refused (Python: AssertionError)', async () => {
    const p = make('testSleep', [0]);
    expect(await rejection(p.join())).toBeInstanceOf(ProcessStateError);
    expect(await rejection(p.terminate())).toBeInstanceOf(ProcessStateError);
    p.start();
    expect(thrown(() => p.start())).toBeInstanceOf(ProcessStateError);
    await p.join();
  });

  it.skip('test_active_children, test_sentinel, test_close, test_kill, test_parent_process: not in the package (threads have no sentinel fd, SIGKILL or parent pid)', () => {});
  it.skip('test_lose_target_ref, test_error_on_stdio_flush, test_forkserver_*: Python object lifetimes, sys streams and start methods have no JS analogue', () => {});
});

describe.concurrent('_TestSubclassingProcess', () => {
  it('test_stderr_flush: an uncaught error exits 1, reported with its stack', async () => {
    const p = make('testStderrFlush', [], { daemon: true });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(1);
    expect(p.error).toBeInstanceOf(RangeError);
    expect((p.error as Error).stack).toContain('process-cpython.mjs');
  });

  it('test_sys_exit: process.exit(n) is the exit code (booleans and reasons do not apply)', async () => {
    for (const reason of [8, 0, 1]) {
      const p = make('sysExit', [reason], { daemon: true });
      p.start();
      await p.join(5000);
      expect(p.exitCode).toBe(reason);
    }
  });

  it.skip('test_subclassing: a Process is not subclassed with run(); its function is named in a worker module', () => {});
});
