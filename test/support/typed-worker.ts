// Types only: test/pool/types.test.ts derives a Pool's call signatures from this module's type.
import type { SharedNDArray } from '../../src/index.js';
import { defineWorker } from '../../src/worker.js';

export default defineWorker({
  scale(a: SharedNDArray<'float64'>, start: number, stop: number, k: number): number {
    return a.size * k + start - stop;
  },
  async label(id: number, name: string): Promise<string> {
    return `${id}:${name}`;
  },
  pair: (x: number): [number, number] => [x, x],
});
