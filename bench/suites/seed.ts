/**
 * The reference article's workload: count the primes up to 1e6 by trial division, in one thread
 * and over a pool of 2, against the article's own Python code (bench/peers/article.py, ported to
 * Python 3) in one process and over multiprocessing.Pool. Python times itself with timeit, as
 * the article does, so its interpreter start-up is left out. The article's run() creates its
 * Pool inside the timing; both sides are measured that way and with the pool started before.
 */
import { fileURLToPath } from 'node:url';
import { Pool, countPrimesTrialDivision, divideRange } from 'shared-ndarray';
import type { Suite } from '../harness/context.js';
import { INSTALL, findPython, runJson } from '../harness/peers.js';

const PI: Record<number, number> = { 10000: 1_229, 200000: 17_984, 1000000: 78_498 };
const PROCESSES = 2;
const ARTICLE = fileURLToPath(new URL('../peers/article.py', import.meta.url));
const WORKER = new URL('../support/trial.worker.mjs', import.meta.url);
type TrialPool = Pool<{ worker: (range: readonly [number, number]) => number }>;

function check(what: string, count: number, n: number): void {
  if (count !== PI[n]) throw new Error(`seed: ${what} counted ${count} primes up to ${n}, expected ${PI[n]}`);
}

const suite: Suite = {
  name: 'seed',
  title: "the reference article's trial-division prime count vs its Python code",
  async run(s) {
    const n = s.pick(1_000_000, 200_000, 10_000);
    const runs = s.quick ? 2 : 5;
    const pyRuns = s.quick ? 1 : 3;
    const python = await findPython();
    if (python) s.peerVersion('python3', python.version);
    const pythonCase = async (name: string, args: string[]): Promise<void> => {
      if (!python) {
        s.skip(name, `python3 is not installed: ${INSTALL.python3}`, { peer: true });
        return;
      }
      await s.reported(name, async () => {
        const out = await runJson<{ count: number; seconds: number[] }>(python.path, [ARTICLE, ...args]);
        check(name, out.count, n);
        return out.seconds;
      }, { detail: `python3 ${['bench/peers/article.py', ...args].join(' ')}` });
    };
    const ranges = divideRange(2, n + 1, 4);
    const total = (counts: number[]): number => counts.reduce((a, b) => a + b, 0);
    const PY_SINGLE = 'Python: run(), one process';
    const PY_WARM = `Python: Pool(${PROCESSES}).map(worker, ranges), pool started before`;
    const PY_ARTICLE = `Python: run() with Pool(${PROCESSES}) started inside (as written)`;
    const OURS_WARM = `pool.map(worker, ranges), ${PROCESSES} workers started before`;
    const OURS_COLD = `new Pool(${PROCESSES}) + map + join, started inside`;
    const OURS_SINGLE = 'countPrimesTrialDivision(2, n + 1), main thread';

    s.group(`pi(${n.toExponential().replace('e+', 'e')}) by trial division, one thread`);
    await pythonCase(PY_SINGLE, ['single', String(n), String(pyRuns)]);
    await s.timed(OURS_SINGLE, () => check('countPrimesTrialDivision', countPrimesTrialDivision(2, n + 1), n), { runs, warmup: true, vs: PY_SINGLE });

    s.group(`the same over ${PROCESSES} workers (ranges: 4 sub-ranges, as the article divides them)`);
    await pythonCase(PY_WARM, ['pool', String(n), String(PROCESSES), String(pyRuns), '--pool-outside']);
    const pool: TrialPool = new Pool(WORKER, { size: PROCESSES });
    try {
      await pool.ready();
      await s.timed(OURS_WARM, async () => check('pool.map', total(await pool.map('worker', ranges)), n), { runs, warmup: true, vs: PY_WARM });
    } finally {
      await pool.terminate();
    }
    await pythonCase(PY_ARTICLE, ['pool', String(n), String(PROCESSES), String(pyRuns)]);
    await s.timed(OURS_COLD, async () => {
      const fresh: TrialPool = new Pool(WORKER, { size: PROCESSES });
      const counts = await fresh.map('worker', ranges);
      fresh.close();
      await fresh.join();
      check('pool.map', total(counts), n);
    }, { runs, warmup: true, vs: PY_ARTICLE });

    s.compare('one thread: ours / Python', OURS_SINGLE, PY_SINGLE);
    s.compare(`${PROCESSES} workers, started before: ours / Python`, OURS_WARM, PY_WARM);
    s.compare(`${PROCESSES} workers, start-up timed: ours / Python`, OURS_COLD, PY_ARTICLE);
    s.compare(`ours: ${PROCESSES} workers / one thread`, OURS_WARM, OURS_SINGLE);
    s.compare(`Python: ${PROCESSES} processes / one`, PY_WARM, PY_SINGLE);
  },
};
export default suite;
