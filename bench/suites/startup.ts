/**
 * What a user waits for before any parallel work starts, each measured in fresh processes (one per
 * run, so nothing is warm but the page cache):
 * - import: `import('shared-ndarray')` against `import('piscina')`, timed inside the process.
 * - a pool of 2: from creating it (its package imported) to the first results of both workers,
 *   against piscina and two raw worker_threads Workers doing the same: each loads the worker module
 *   the pool's workers load (`raw-echo.worker.mjs` imports `echo.worker.mjs`, hence
 *   `shared-ndarray/worker`) and answers. That is the bar's baseline: a pool cannot answer before
 *   the user's module has loaded, and Node's ES-module loader, which any worker module needs, is
 *   most of what a module Worker costs over the eval'd CommonJS string the suite compared with
 *   before (reported still, without a bar). The runs of the four alternate, process by process,
 *   so that a change in the machine's load moves them alike.
 * - a first `countPrimes(1e9)` that starts its own workers, and the whole `shared-ndarray sieve
 *   1e9` process (one run, no comparison), against the whole `primesieve 1e9` process.
 */
import { fileURLToPath } from 'node:url';
import type { Suite } from '../harness/context.js';
import { INSTALL, findPrimesieve, importPeer, packageVersion, run, runJson } from '../harness/peers.js';

const child = (file: string): string => fileURLToPath(new URL(`../support/startup/${file}`, import.meta.url));
const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

const IMPORT = "import('shared-ndarray')";
const IMPORT_PISCINA = "import('piscina')";
const POOL = 'new Pool(module, { size: 2 }) to 2 first results';
const POOL_PISCINA = 'new Piscina({ minThreads: 2 }) to 2 first results';
const POOL_RAW = '2 raw worker_threads Workers to 2 first replies';
const POOL_RAW_MODULE = '2 raw Workers loading the same worker module to 2 first replies';

/** `runs` fresh processes of `script`, each reporting its own seconds. */
async function fresh(script: string, args: string[], runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push((await runJson<{ seconds: number }>(process.execPath, [child(script), ...args])).seconds);
  return out;
}

/** `runs` fresh processes of `script` per case (its argument), the cases taking turns: each case's seconds. */
async function interleaved(script: string, cases: string[], runs: number): Promise<Map<string, number[]>> {
  const out = new Map(cases.map((c) => [c, [] as number[]]));
  for (let i = 0; i < runs; i++) for (const c of cases) out.get(c)!.push(...await fresh(script, [c], 1));
  return out;
}

const suite: Suite = {
  name: 'startup',
  title: 'cold starts: import, a pool of 2 to its first results, a first countPrimes, the CLI',
  async run(s) {
    const runs = s.pick(7, 3, 1);
    // --smoke: a count that is all start-up, to show the cases run
    const n = s.smoke ? '1e6' : '1e9';
    const COLD = `a first countPrimes(${n}), starting its workers`;
    const CLI_CASE = `whole process: shared-ndarray sieve ${n} --json --no-compare --runs 1`;
    const PRIMESIEVE = `whole process: primesieve ${n}`;
    const piscina = (await importPeer('piscina')) !== undefined;
    if (piscina) s.peerVersion('piscina', packageVersion('piscina'));
    const primesieve = await findPrimesieve();
    if (primesieve) s.peerVersion('primesieve', primesieve.version);
    const noPiscina = `piscina is not installed: ${INSTALL.npm('piscina')}`;

    s.group('importing the package in a fresh process');
    // taking turns, as the pool starts below: one after the other, a drift of the VM's speed
    // between the two batches read as 1.20x in a full run and 1.05x in the suite's run after it
    const imports = await interleaved('import.mjs', ['shared-ndarray', ...(piscina ? ['piscina'] : [])], s.smoke ? 1 : runs * 2);
    await s.reported(IMPORT, async () => imports.get('shared-ndarray')!, { vs: IMPORT_PISCINA });
    if (piscina) await s.reported(IMPORT_PISCINA, async () => imports.get('piscina')!, { peer: true });
    else s.skip(IMPORT_PISCINA, noPiscina, { peer: true });
    s.compare('import / piscina import', IMPORT, IMPORT_PISCINA, 1.2);

    s.group('a pool of 2 in a fresh process: created to both workers\' first results');
    // Three times the runs: two Worker starts of ~30 ms scatter widely on a 2-vCPU VM (a median of 7
    // read 1.43x in a full run and 1.12x in the suite's run right after, both idle)
    const starts = await interleaved('pool.mjs', ['raw-module', 'raw', 'ours', ...(piscina ? ['piscina'] : [])], s.smoke ? 1 : runs * 3);
    await s.reported(POOL_RAW_MODULE, async () => starts.get('raw-module')!, { peer: true });
    await s.reported(POOL_RAW, async () => starts.get('raw')!, { peer: true, vs: POOL_RAW_MODULE });
    await s.reported(POOL, async () => starts.get('ours')!, { vs: POOL_RAW_MODULE });
    if (piscina) await s.reported(POOL_PISCINA, async () => starts.get('piscina')!, { peer: true, vs: POOL_RAW_MODULE });
    else s.skip(POOL_PISCINA, noPiscina, { peer: true, vs: POOL_RAW_MODULE });
    s.compare('pool start / raw Workers loading the module', POOL, POOL_RAW_MODULE, 1.2);
    s.compare('pool start / raw Workers', POOL, POOL_RAW);
    s.compare('pool start / piscina start', POOL, POOL_PISCINA);

    s.group(`counting the primes to ${n} from cold`);
    if (primesieve) await s.timed(PRIMESIEVE, () => run(primesieve.path, [n]), { runs, peer: true });
    else s.skip(PRIMESIEVE, `primesieve is not installed: ${INSTALL.primesieve}`, { peer: true });
    await s.reported(COLD, () => fresh('count.mjs', [n], runs), { vs: PRIMESIEVE });
    await s.timed(CLI_CASE, () => run(process.execPath, [CLI, 'sieve', n, '--json', '--no-compare', '--runs', '1']), { runs, vs: PRIMESIEVE });
    s.compare(`cold countPrimes(${n}) / primesieve process`, COLD, PRIMESIEVE);
    s.compare('sieve CLI process / primesieve process', CLI_CASE, PRIMESIEVE);
  },
};
export default suite;
