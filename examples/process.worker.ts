/**
 * The worker module for the processes-and-queue example: the reference article's
 * `worker(start, end, result_mq)`, which counts primes by trial division and puts its total on
 * a shared Queue.
 */
import { countPrimesTrialDivision, type Queue } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  worker(start: number, end: number, resultMq: Queue): void {
    resultMq.put(countPrimesTrialDivision(start, end));
  },
});
