/**
 * Opt-in setup file (`TEST_CPU_LOG=file npm test`, vitest.config.ts): appends, for each test
 * file, the CPU seconds it took (user + system, of this process and the child processes it
 * waited for, from /proc/self/stat; worker threads count as this process), the process's total,
 * its pid and the worker threads the file started, tab-separated. On a loaded machine wall times
 * mislead; these do not, much.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

/** utime + stime + cutime + cstime (fields 14-17 of /proc/self/stat), in seconds. */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [14, 15, 16, 17].reduce((sum, field) => sum + Number(fields[field - 3]), 0) / 100;
}

const log = process.env.TEST_CPU_LOG;
const start = cpuSeconds();
let workers = 0;
const counted = (): void => { workers++; };
process.on('worker', counted);
afterAll(() => {
  process.off('worker', counted);
  const now = cpuSeconds();
  if (log) appendFileSync(log, `${expect.getState().testPath}\t${(now - start).toFixed(2)}\t${now.toFixed(2)}\t${process.pid}\t${workers}\n`);
});
