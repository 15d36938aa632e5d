// The startup suite's child: a first countPrimes(n) in a fresh process, starting its own workers
// (the package already imported). Prints one JSON line of seconds and the count.
import { countPrimes } from 'shared-ndarray';

const n = Number(process.argv[2]);
const start = performance.now();
const count = await countPrimes(n);
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, count }));
