// The seed suite's pool worker: the reference article's worker(sub_range), counting the primes
// in [start, end) by trial division (the package's countPrimesTrialDivision, compiled).
import { countPrimesTrialDivision } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  worker: ([start, end]) => countPrimesTrialDivision(start, end),
});
