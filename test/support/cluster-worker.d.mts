// The type of cluster-worker.mjs, for `ClusterPool<typeof import('./cluster-worker.mjs')>`.
import type { SharedNDArray } from 'shared-ndarray';
import type { WorkerDefinition } from 'shared-ndarray/worker';

declare const worker: WorkerDefinition<{
  square(x: number): number;
  add(a: number, b: number): number;
  pid(_item?: unknown): number;
  slowTagged(item: number, ms?: number): Promise<[item: number, pid: number]>;
  fail(message: string): never;
  failRange(x: number): number;
  crunch(n: number): Promise<number>;
  fillRows(m: SharedNDArray, start: number, stop: number, k: number): [start: number, stop: number];
  structured(n: number): { n: number; big: bigint; map: Map<string, Set<number>>; date: Date; floats: Float64Array };
}>;
export default worker;
