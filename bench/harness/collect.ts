/**
 * The engine's collector, for suites whose runs allocate gigabytes: each run starts with the
 * previous run's memory given back, as a script that builds its arrays once would find it. Without
 * it, old 1 GiB arrays linger until V8 happens to collect (it does not count shared memory towards
 * its heap), and the next run pays for the kernel compacting around them.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
