// The TypeScript worker module of ts-worker-startup.mjs.
import { defineWorker } from 'shared-ndarray/worker';
import { double } from './helper.js';

export default defineWorker({
  twice: (x: number): number => double(x),
  noop(): void {},
});
