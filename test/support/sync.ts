/** Shared by test/sync/*.test.ts: the typed pool over sync-worker.mjs and small waiting helpers. */
import { expect } from 'vitest';
import { Pool, type Event, type SharedNDArray } from '../../src/index.js';
import { filePool, sleep, trackPools } from './pools.js';

export { sleep };

/** One step of `ops`: `[objectName | 'worker', method, ...args]`. */
export type Step = [string, string, ...unknown[]];

/** What `ops` reports per step. */
export interface StepResult {
  value?: unknown;
  error?: string;
  message?: string;
  ms: number;
}

export interface TimeoutResult {
  timeout: number;
  value: unknown;
  ms: number;
}

/** The functions of sync-worker.mjs. */
export type SyncWorker = {
  ops(objects: Record<string, unknown>, steps: Step[], stop?: boolean): StepResult[];
  kinds(values: unknown): unknown;
  increment(lock: unknown, counter: SharedNDArray<'int32'>, n: number): number;
  semaphoreRounds(semaphore: unknown, stats: SharedNDArray<'int32'>, rounds: number): number;
  barrierCycles(barrier: unknown, progress: SharedNDArray<'int32'>, actions: SharedNDArray<'int32'>, me: number, cycles: number): { indices: number[]; failures: number };
  conditionWaiter(cond: unknown, counts: SharedNDArray<'int32'>, woke: SharedNDArray<'int32'>, timeout?: number | null): { ordinal: number; notified: boolean; owned: boolean };
  timeouts(object: unknown, what: string, list: number[]): TimeoutResult[];
  conditionRounds(cond: unknown, counts: SharedNDArray<'int32'>, rounds: number): number;
  eventRounds(event: unknown, barrier: unknown, counts: SharedNDArray<'int32'>, rounds: number): number;
  waitForValue(cond: unknown, array: SharedNDArray<'int32'>, index: number, target: number, timeout?: number | null): number | false;
};

/** What the argument checks of timeouts say they expect. */
export const TIMEOUT_HELP = 'expected a timeout in milliseconds (a number >= 0, or undefined to wait forever)';

/** Each step's value, or its error's name where it threw. */
export const outcomes = (results: StepResult[]): unknown[] => results.map((r) => (r.error === undefined ? r.value : r.error));

/** The value of every step, failing on the first step that threw. */
export function values(results: StepResult[]): unknown[] {
  for (const r of results) if (r.error !== undefined) throw new Error(`step failed: ${r.error}: ${r.message}`);
  return results.map((r) => r.value);
}

export const SYNC_WORKER = new URL('./sync-worker.mjs', import.meta.url);

/**
 * `syncPool(size)` starts a pool over sync-worker.mjs that is terminated after the test, for tests
 * whose workers die. Call at the top level of a test file: `const syncPool = syncPools();`.
 */
export function syncPools(): (size: number) => Pool<SyncWorker> {
  const track = trackPools();
  return (size) => track(new Pool<SyncWorker>(SYNC_WORKER, { size }));
}

/**
 * `syncPool(size)` is a pool of the file's over sync-worker.mjs (see filePool) that runs `size`
 * tasks at once, for tests that wait for every task they start: of 1 worker for 1 (tasks that
 * must find what an earlier one kept), else the largest one the file has started if it has
 * enough workers, so that a file asking for 4, then 3 and 2 starts 4 workers, not 9. Call at the
 * top level of a test file.
 */
export function sharedSyncPools(): (size: number) => Pool<SyncWorker> {
  const pools = new Map<number, () => Pool<SyncWorker>>();
  const started = new Set<number>();
  for (const size of [1, 2, 3, 4]) pools.set(size, filePool<SyncWorker>(SYNC_WORKER, { size }));
  return (size) => {
    if (!pools.has(size)) throw new Error(`sharedSyncPools: no pool of ${size} workers; add the size`);
    const largest = Math.max(0, ...[...started].filter((n) => n > 1));
    const pick = size > 1 && largest >= size ? largest : size;
    started.add(pick);
    return pools.get(pick)!();
  };
}

/** Polls `check` (a state some other thread reaches) every few ms until it is true; fails after `ms`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting until ${what}`);
    await sleep(2);
  }
}

/** Milliseconds `fn` took. */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

/** Milliseconds `promise` took to settle, and its outcome. */
export async function timedAsync(promise: () => Promise<unknown>): Promise<{ value?: unknown; error?: unknown; ms: number }> {
  const start = performance.now();
  try {
    const value = await promise();
    return { value, ms: performance.now() - start };
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
}

/** Upper slack for timeouts on this noisy 2-core machine. */
export const SLACK_MS = 200;

/** A wait asked to last `timeout` ms took `ms`: never earlier than asked (1 ms rounding), not much later. */
export function expectHonoured(ms: number, timeout: number, slack = SLACK_MS): void {
  expect(ms).toBeGreaterThanOrEqual(timeout - 1);
  expect(ms).toBeLessThanOrEqual(timeout + slack);
}

/** Runs `fn` while a 5 ms interval ticks; returns its result and how many ticks happened meanwhile. */
export async function ticking<T>(fn: () => Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const interval = setInterval(() => { ticks++; }, 5);
  try {
    const value = await fn();
    return { value, ticks };
  } finally {
    clearInterval(interval);
  }
}

/**
 * How many threads sleep on the event's word right now. Counting wakes them, which a waiter
 * must survive anyway (it re-checks and sleeps again): a spurious wake-up.
 */
export function sleepers(event: Event): number {
  const { buffer, index } = event.toDescriptor();
  return Atomics.notify(new Int32Array(buffer), index);
}
