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
console.log(JSON.stringify({
  sum: a.toArray().flat().reduce((x, y) => x + y, 0),
  available: nativeAvailable(),
  mmap: attempt(() => new MMap(-1, 16)),
  shm: attempt(() => new SharedMemory({ create: true, size: 16 })),
  anonymous: attempt(() => mapAnonymous(16)),
}));
