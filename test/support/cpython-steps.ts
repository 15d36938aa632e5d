/**
 * Steps of CPython's multiprocessing tests that its suite runs on more than one kind of object,
 * written once for the ports that run them on this package's objects and on the Manager's proxies.
 */
import { expect } from 'vitest';

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
