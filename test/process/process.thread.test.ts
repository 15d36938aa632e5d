import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, Event, Lock, OwnerDiedError, Process, ProcessStateError, Queue, RLock, TERMINATED_EXIT_CODE,
} from '../../src/index.js';

const MODULE = new URL('../support/process-worker.mjs', import.meta.url);
const start = (fn: string, ...args: unknown[]): Process => {
  const p = new Process({ module: MODULE, fn, args });
  p.start();
  return p;
};

// Each test has processes, locks and queues of its own: they run concurrently.
describe.concurrent('Process', () => {
  it('runs a function with shared arguments; exitCode 0, isAlive, threadId, name', async () => {
    const q = new Queue();
    const p = new Process({ module: MODULE, fn: 'put', args: [q, 1, 'two', { three: 3 }] });
    expect(p.isAlive()).toBe(false);
    expect(p.exitCode).toBeNull();
    expect(p.threadId).toBeUndefined();
    expect(p.name).toMatch(/^Process-\d+$/);
    expect(String(p)).toBe(`<Process name='${p.name}' initial>`);
    p.start();
    expect(p.isAlive()).toBe(true);
    const threadId = p.threadId;
    expect(threadId).toBeGreaterThan(0);
    await p.join();
    expect(p.isAlive()).toBe(false);
    // as Python's pid: a Worker's own threadId is -1 once it has exited
    expect(p.threadId).toBe(threadId);
    expect(p.exitCode).toBe(0);
    expect(p.error).toBeUndefined();
    expect([q.get(), q.get(), q.get()]).toEqual([1, 'two', { three: 3 }]);
    expect(String(p)).toBe(`<Process name='${p.name}' stopped exitcode=0>`);
  });

  it('a function that throws: exitCode 1, the error kept as its own class, reported on stderr', async () => {
    const p = start('fail', 'bad input');
    await p.join();
    expect(p.exitCode).toBe(1);
    expect(p.error).toBeInstanceOf(RangeError);
    expect(p.error).toMatchObject({ message: 'bad input', code: 'E_TEST' });
  });

  it('process.exit(n) gives exitCode n; a function that returns ends the thread even with timers left', async () => {
    const exited = start('exitWith', 7);
    const timer = start('leaveTimer');
    await exited.join();
    await timer.join(10_000);
    expect(exited.exitCode).toBe(7);
    expect(timer.exitCode).toBe(0);
  });

  it('an unknown function fails the process with a message naming what the module defines', async () => {
    const p = new Process({ module: MODULE, fn: 'nope' as never });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(1);
    expect(p.error).toBeInstanceOf(ArgumentError);
    expect((p.error as Error).message).toContain("has no function \"nope\" (it defines 'put', 'holdLock'");
  });

  it('join(timeout) returns when the time is up with the thread still alive; terminate gives -15', async () => {
    const p = start('spin');
    const t0 = performance.now();
    await p.join(50);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(49);
    expect(p.isAlive()).toBe(true);
    await p.terminate();
    expect(p.isAlive()).toBe(false);
    expect(p.exitCode).toBe(TERMINATED_EXIT_CODE);
    await p.terminate();
  });

  it.each([Lock, RLock])('a %o held by a terminated process goes to the next acquirer with OwnerDiedError, also one already waiting', async (Kind) => {
    const lock = new Kind();
    const held = new Event();
    const holder = start('holdLock', lock, held);
    await held.waitAsync(10_000);
    const out = new Queue();
    const waiter = start('waitForLock', lock, out);
    // The waiter cannot have the lock while the holder lives.
    await expect(out.getAsync({ timeout: 100 })).rejects.toThrow('stayed empty');
    await holder.terminate();
    expect(await out.getAsync({ timeout: 10_000 })).toBe('OwnerDiedError');
    await waiter.join();
    expect(waiter.exitCode).toBe(0);
    // Recovered: a normal lock again.
    expect(lock.acquire({ timeout: 1000 })).toBe(true);
    lock.release();
  });

  it('the main thread acquiring a dead process\'s lock gets OwnerDiedError and holds the lock', async () => {
    const lock = new Lock();
    const held = new Event();
    const holder = start('holdLock', lock, held);
    await held.waitAsync(10_000);
    await holder.terminate();
    expect(() => lock.acquire()).toThrow(OwnerDiedError);
    expect(lock.locked()).toBe(true);
    expect(lock.acquire({ block: false })).toBe(false);
    lock.release();
    expect(lock.acquire({ block: false })).toBe(true);
    lock.release();
  });

  it('a blocked main thread is released by a process that crashes holding the lock (it marks itself dead)', async () => {
    const lock = new Lock();
    const held = new Event();
    const go = new Event();
    const holder = start('holdThenCrash', lock, held, go);
    await held.waitAsync(10_000);
    go.set();
    // A blocking acquire: the main thread's event loop cannot run until it returns.
    expect(() => lock.acquire({ timeout: 10_000 })).toThrow(OwnerDiedError);
    lock.release();
    await holder.join();
    expect(holder.exitCode).toBe(1);
  });

  it('a daemon does not keep the host alive, but awaiting its join() waits for it, as in Python', async () => {
    const child = fileURLToPath(new URL('../support/process-child-daemon.mjs', import.meta.url));
    // one process for both: the join, then a daemon that spins for ever while the process exits
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, [child], { timeout: 8_000 });
    expect(stdout).toBe('joined 0\nstarted\n');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses misuse with clear errors', async () => {
    expect(() => new Process({ module: 'rel.mjs', fn: 'put' })).toThrow("Process: invalid argument 'options.module': expected a file URL or an absolute path");
    expect(() => new Process({ module: MODULE, fn: 3 as never })).toThrow("Process: invalid argument 'options.fn': expected the name of a function of the worker module, got 3");
    expect(() => new Process({ module: MODULE, fn: 'put', args: 'x' as never })).toThrow("Process: invalid argument 'options.args': expected an array of arguments, got \"x\"");
    expect(() => new Process({ module: MODULE, fn: 'put', target: 1 } as never)).toThrow('unknown option "target"');
    expect(() => new Process(undefined as never)).toThrow(ArgumentError);
    const p = new Process({ module: MODULE, fn: 'put', args: [new Queue()] });
    await expect(p.join()).rejects.toThrow(ProcessStateError);
    await expect(p.terminate()).rejects.toThrow(`Process.terminate: ${p.name} was never started`);
    const unclonable = new Process({ module: MODULE, fn: 'put', args: [() => 1] });
    expect(() => unclonable.start()).toThrow(ArgumentError);
    expect(() => unclonable.start()).toThrow("Process.start: invalid argument 'options.args': () => 1 could not be cloned");
    expect(unclonable.isAlive()).toBe(false);
    p.start();
    expect(() => p.start()).toThrow(`Process.start: ${p.name} was already started`);
    await expect(p.join(Number.NaN)).rejects.toThrow("Process.join: invalid argument 'timeout'");
    await expect(p.join('1' as never)).rejects.toThrow("Process.join: invalid argument 'timeout'");
    await p.join();
  });
});
