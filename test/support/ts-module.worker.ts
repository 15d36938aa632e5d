// A TypeScript worker module that imports another TypeScript file of its own, for
// test/worker-module/typescript.thread.test.ts.
import type { SharedNDArray } from '../../src/index.js';
// define.js, not worker.js: worker.js also loads the transport kinds, whose closure reaches
// src/native/addon.ts, which finds the package root by its own module URL. That would not
// survive bundling, so the compile step rightly leaves such a module to tsx (an installed
// package is never bundled: it stays an import).
import { defineWorker } from '../../src/worker-module/define.js';
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
