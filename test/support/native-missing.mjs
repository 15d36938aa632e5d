// Run by test/io/native.e2e.test.ts with SHARED_NDARRAY_NATIVE_ADDON naming a missing or broken
// addon: the package still imports and works; only the memory-map API throws, saying how to build.
import { MMap, NativeUnavailableError, SharedMemory, SharedNDArrayError, zeros } from 'shared-ndarray';
import { mapAnonymous, nativeAvailable } from '../../dist/io/native.js';

const attempt = (fn) => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return { name: e.name, isClass: e instanceof NativeUnavailableError && e instanceof SharedNDArrayError, message: e.message };
  }
};
const a = zeros([2, 2]);
a.set(1, 1, 5);
// fills over the addon's threshold (src/ndarray/fill.ts) take TypedArray.prototype.fill instead
const big = zeros([4, 2048]);
big.slice('1:3').fill(2.5);
const wide = zeros([3, 1024], 'int64');
wide.row(1).fill(-(2n ** 63n));
console.log(JSON.stringify({
  sum: a.toArray().flat().reduce((x, y) => x + y, 0),
  fill: [big.data.reduce((x, y) => x + y, 0), big.get(0, 2047), big.get(1, 0), big.get(3, 0), String(wide.data.reduce((x, y) => x + y, 0n)), String(wide.get(1, 1023))],
  available: nativeAvailable(),
  mmap: attempt(() => new MMap(-1, 16)),
  shm: attempt(() => new SharedMemory({ create: true, size: 16 })),
  anonymous: attempt(() => mapAnonymous(16)),
}));
