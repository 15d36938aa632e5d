// The alloc suite's child: zeros([rows, cols]).fill(1.5) as the first large allocation of a fresh
// process, huge pages on (argv[4] '1') or off ('0', as SHARED_NDARRAY_MADVISE_HUGEPAGE=0 in the
// environment: the variable is read at each large allocation). Prints one JSON line of seconds.
import { zeros } from 'shared-ndarray';

const [rows, cols, hugePages] = process.argv.slice(2);
process.env.SHARED_NDARRAY_MADVISE_HUGEPAGE = hugePages;
const start = performance.now();
zeros([Number(rows), Number(cols)]).fill(1.5);
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000 }));
