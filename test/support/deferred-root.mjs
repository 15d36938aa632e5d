// Run by test/deferred-root.thread.test.ts in a fresh process: the compiled package root defers
// ops/ and sieve/ to their first use (scripts/bundle.mjs) and must behave as if it loaded them.
// Prints one JSON line of observations.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as root from 'shared-ndarray';

const out = {};
const proto = root.SharedNDArray.prototype;
const a = root.arange(10);

// 1. Nothing of ops/ ran at import: its methods are the root's loaders until the first call.
const loader = proto.sum;
out.sum = a.sum();
out.methodReplaced = proto.sum !== loader;
out.functions = [root.sum(a), root.mean(a), root.add(a, 1).get(9), root.var(root.arange(4))];
out.constants = [root.INLINE_THRESHOLD === (await import('shared-ndarray/ops')).INLINE_THRESHOLD, root.MAX_SIEVE_N > 0];

// 2. One instance of each module, whether loaded by require() or import(): the same classes and
// the same registry of transport kinds.
const ops = await import('shared-ndarray/ops');
const required = createRequire(import.meta.url)('shared-ndarray/ops');
out.sameModule = required === ops;
out.sameClass = ops.add(a, 1) instanceof root.SharedNDArray;
const pool = await import('shared-ndarray/pool');
out.samePool = pool.Pool === root.Pool;
const { toDescriptors, fromDescriptors } = root;
out.roundTrip = fromDescriptors(toDescriptors({ x: ops.multiply(a, 2) })).x.get(3);

// 3. The sieve, deferred the same way, starts its own workers.
out.primes = await root.countPrimes(1000);

// 4. In a worker thread: the root imported there defers the same way.
out.worker = await new Promise((resolve, reject) => {
  const w = new Worker(`import('shared-ndarray').then(({ arange }) => require('node:worker_threads').parentPort.postMessage(arange(5).sum()));`, { eval: true });
  w.once('message', (m) => { resolve(m); w.terminate(); });
  w.once('error', reject);
});
console.log(JSON.stringify(out));
