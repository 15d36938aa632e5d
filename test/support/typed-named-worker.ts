// Types only: a worker module written as named exports (the bootstrap finds the one definition).
import { defineWorker } from '../../src/worker.js';

export function double(x: number): number {
  return 2 * x;
}
export const fns = defineWorker({ double, triple: (x: number): number => 3 * x });
