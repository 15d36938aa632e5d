// Run by test/deferred-root.thread.test.ts in a fresh process: the root's deferred functions and
// methods, called while an import() of their subpath is still loading (on Node 20, a require() of
// a module in that state fails an internal assertion), and one instance either way.
import { createRequire } from 'node:module';
import * as root from 'shared-ndarray';

const a = root.arange(10);
const out = {};
const ops = import('shared-ndarray/ops');
const sieve = import('shared-ndarray/sieve');
// the imports have started and not finished: the loader has read the entries, not run them
await new Promise((resolve) => setImmediate(resolve));
out.sum = root.sum(a);
out.method = a.mean();
out.primes = await root.countPrimes(100);
const require = createRequire(import.meta.url);
out.sameModules = require('shared-ndarray/ops') === (await ops) && require('shared-ndarray/sieve') === (await sieve);
console.log(JSON.stringify(out));
