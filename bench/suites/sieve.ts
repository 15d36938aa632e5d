/**
 * countPrimes(n) on pools of 1 and 2 workers (started, and warmed up, before timing) against
 * primesieve on 1 and 2 threads, whose own `--time` figure is its time, at 1e8, 1e9 and 1e10
 * (1e8 only with --quick, 1e6 with --smoke), and against a plain numpy sieve (bench/peers/numpy_sieve.py) at 1e8.
 * Every count is checked against pi(n).
 */
import { fileURLToPath } from 'node:url';
import { ArgumentError, Pool, countPrimes, sieveWorkerModule, type SieveWorker } from 'shared-ndarray';
import type { Suite } from '../harness/context.js';
import { INSTALL, findPrimesieve, findPython, run, runJson } from '../harness/peers.js';

const PI = new Map([[1e6, 78_498], [1e8, 5_761_455], [1e9, 50_847_534], [1e10, 455_052_511]]);
const NUMPY_SIEVE = fileURLToPath(new URL('../peers/numpy_sieve.py', import.meta.url));

function show(n: number): string {
  return n.toExponential().replace('e+', 'e');
}

function check(what: string, count: number, n: number): void {
  if (count !== PI.get(n)) throw new Error(`sieve: ${what} counted ${count} primes up to ${show(n)}, expected ${PI.get(n)}`);
}

const suite: Suite = {
  name: 'sieve',
  title: 'countPrimes vs primesieve and numpy',
  async run(s) {
    const sizes = s.pick([1e8, 1e9, 1e10], [1e8], [1e6]);
    // up to 1e9 a run takes 10-150 ms, where one slow run (a busy core, a page-cache flush) moves a
    // median of 3 by a third: 11 runs of each side there, 3 (ours) and 5 (primesieve) at 1e10
    const runsAt = (n: number): number => s.pick(n <= 1e9 ? 11 : 3, 3, 1);
    const primesieve = await findPrimesieve();
    const numpy = await findPython({ numpy: true });
    if (primesieve) s.peerVersion('primesieve', primesieve.version);
    if (numpy) s.peerVersion('python3 (numpy sieve)', numpy.version);

    const pools = new Map<number, Pool<SieveWorker>>();
    try {
      for (const size of [1, 2]) {
        const pool = new Pool<SieveWorker>(sieveWorkerModule(), { size });
        pools.set(size, pool);
        await pool.ready();
        if (!s.smoke) await countPrimes(1e7, { pool });
      }
      for (const n of sizes) {
        s.group(`pi(${show(n)}) = ${PI.get(n)}`);
        const peerName = (threads: number): string => `primesieve ${show(n)}, ${threads} thread${threads === 1 ? '' : 's'}`;
        for (const threads of [1, 2]) {
          const name = peerName(threads);
          if (!primesieve) {
            s.skip(name, `primesieve is not installed: ${INSTALL.primesieve}`, { peer: true });
            continue;
          }
          const args = [String(n), '--count', '--time', `--threads=${threads}`, '--no-status'];
          await s.reported(name, async () => {
            const seconds: number[] = [];
            for (let i = 0; i < (s.smoke ? 1 : Math.max(5, runsAt(n))); i++) {
              const out = await run(primesieve.path, args);
              check(name, Number(/Primes:\s*(\d+)/.exec(out)?.[1]), n);
              seconds.push(Number(/Seconds:\s*([\d.]+)/.exec(out)?.[1]));
            }
            return seconds;
          }, { detail: `primesieve ${args.join(' ')} (its Seconds: line, millisecond resolution)` });
        }
        if (n === sizes[0]) {
          const name = `numpy sieve ${show(n)}, 1 thread`;
          if (numpy) {
            await s.reported(name, async () => {
              const out = await runJson<{ count: number; seconds: number[] }>(numpy.path, [NUMPY_SIEVE, String(n), String(s.pick(3, 2, 1))]);
              check(name, out.count, n);
              return out.seconds;
            }, { detail: `python3 bench/peers/numpy_sieve.py ${n} ${s.pick(3, 2, 1)}` });
          } else {
            s.skip(name, `python3 with numpy is not installed: ${INSTALL.numpy}`, { peer: true });
          }
        }
        for (const [threads, pool] of pools) {
          const name = `countPrimes(${show(n)}), pool of ${threads} worker${threads === 1 ? '' : 's'}`;
          try {
            await s.timed(name, async () => check(name, await countPrimes(n, { pool }), n), { runs: runsAt(n), vs: peerName(threads), detail: `pi(${show(n)}) = ${PI.get(n)} checked` });
          } catch (error) {
            if (!(error instanceof ArgumentError)) throw error;
            s.skip(name, `countPrimes does not take n = ${show(n)} yet: ${error.message}`, { vs: peerName(threads) });
          }
        }
        s.compare(`countPrimes(${show(n)}) / primesieve, 1 thread`, `countPrimes(${show(n)}), pool of 1 worker`, peerName(1));
        s.compare(`countPrimes(${show(n)}) / primesieve, 2 threads`, `countPrimes(${show(n)}), pool of 2 workers`, peerName(2));
        s.compare(`countPrimes(${show(n)}): 2 workers / 1`, `countPrimes(${show(n)}), pool of 2 workers`, `countPrimes(${show(n)}), pool of 1 worker`);
        if (n === sizes[0]) s.compare(`countPrimes(${show(n)}), 1 worker / numpy sieve`, `countPrimes(${show(n)}), pool of 1 worker`, `numpy sieve ${show(n)}, 1 thread`);
      }
    } finally {
      for (const pool of pools.values()) await pool.terminate();
    }
    s.note("primesieve's times are its own `--time` figure, which has millisecond resolution: at 1e8 it is a few milliseconds, so its ratios there are coarse.");
  },
};
export default suite;
