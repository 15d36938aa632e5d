// A TypeScript worker module that imports another TypeScript file of its own, for
// test/worker-module/typescript.thread.test.ts.
import type { SharedNDArray } from '../../src/index.js';
import { defineWorker } from '../../src/worker.js';
import { twice } from './ts-module-helper.js';

interface Failure { readonly reason: string }

export default defineWorker({
  twice: (x: number): number => twice(x),
  where: (): string => import.meta.url,
  fail(failure: Failure): never {
    throw new RangeError(failure.reason);
  },
  fill(a: SharedNDArray<'float64'>, value: number): void {
    a.fill(twice(value));
  },
});
