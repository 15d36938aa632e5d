/**
 * The worker module for the Manager example: each process counts the primes of its range and
 * records the count in the shared dict (keyed by the range's start) and the range in the shared list.
 */
import { countPrimesTrialDivision, type DictProxy, type ListProxy } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  worker(start: number, end: number, counts: DictProxy<number, number>, done: ListProxy<string>): void {
    counts.set(start, countPrimesTrialDivision(start, end));
    done.append(`[${start}, ${end})`);
  },
});
