/**
 * Steps of CPython's multiprocessing tests that its suite runs on more than one kind of object,
 * written once for the ports that run them on this package's objects and on the Manager's proxies.
 */
import { expect } from 'vitest';
import { Empty, Full } from '../../src/index.js';
import { thrown } from './assert.js';

/** What `_TestSemaphore._test_semaphore` drives: a semaphore's or its proxy's counting methods. */
export interface CountingSemaphore {
  getValue(): number;
  acquire(options?: { block?: boolean }): boolean;
  release(): void;
}

/** `_TestSemaphore._test_semaphore`, on a semaphore of value 2: down to 0, refused, up to 2. */
export function semaphoreSteps(sem: CountingSemaphore): void {
  expect(sem.getValue()).toBe(2);
  expect(sem.acquire()).toBe(true);
  expect(sem.getValue()).toBe(1);
  expect(sem.acquire()).toBe(true);
  expect(sem.getValue()).toBe(0);
  expect(sem.acquire({ block: false })).toBe(false);
  expect(sem.getValue()).toBe(0);
  expect(sem.release()).toBeUndefined();
  expect(sem.getValue()).toBe(1);
  expect(sem.release()).toBeUndefined();
  expect(sem.getValue()).toBe(2);
}

/** What `_TestQueue`'s tests drive: a queue's or its proxy's methods. */
export interface PuttingQueue {
  empty(): boolean;
  full(): boolean;
  put(item: number, options?: { block?: boolean; timeout?: number | null }): void;
  putNowait(item: number): void;
  get(options?: { block?: boolean; timeout?: number | null }): number;
  getNowait(): number;
  qsize(): number;
}

/** `_TestQueue.test_put`'s first half, on an empty queue of maxsize 6: put in every form until full, then refused. */
export function fillQueueSteps(queue: PuttingQueue): void {
  expect(queue.empty()).toBe(true);
  expect(queue.full()).toBe(false);
  queue.put(1);
  queue.put(2, { block: true });
  queue.put(3, { block: true, timeout: null });
  queue.put(4, { block: false });
  queue.put(5, { block: false, timeout: null });
  queue.putNowait(6);
  expect(queue.empty()).toBe(false);
  expect(queue.full()).toBe(true);
  expect(thrown(() => queue.put(7, { block: false }))).toBeInstanceOf(Full);
  expect(thrown(() => queue.put(7, { block: false, timeout: null }))).toBeInstanceOf(Full);
  expect(thrown(() => queue.putNowait(7))).toBeInstanceOf(Full);
}

/** `_TestQueue.test_get`'s middle, once its child has put 2, 3, 4, 5: each taken in another form, then refused. */
export function drainQueueSteps(queue: PuttingQueue): void {
  expect(queue.empty()).toBe(false);
  expect(queue.get({ block: true, timeout: null })).toBe(2);
  expect(queue.get({ block: true })).toBe(3);
  expect(queue.get({ timeout: 1000 })).toBe(4);
  expect(queue.getNowait()).toBe(5);
  expect(queue.empty()).toBe(true);
  expect(thrown(() => queue.get({ block: false }))).toBeInstanceOf(Empty);
  expect(thrown(() => queue.get({ block: false, timeout: null }))).toBeInstanceOf(Empty);
  expect(thrown(() => queue.getNowait())).toBeInstanceOf(Empty);
}

/** `_TestQueue.test_qsize`, on an empty queue. */
export function qsizeSteps(q: PuttingQueue): void {
  expect(q.qsize()).toBe(0);
  q.put(1);
  expect(q.qsize()).toBe(1);
  q.put(5);
  expect(q.qsize()).toBe(2);
  q.get();
  expect(q.qsize()).toBe(1);
  q.get();
  expect(q.qsize()).toBe(0);
}
