// The type of pool-spin.mjs, for `Pool<typeof import('./pool-spin.mjs')>`.
import type { WorkerDefinition } from 'shared-ndarray/worker';

declare const spin: WorkerDefinition<{
  spinWait(): { micros: number; states: Int32Array; slot: number; cpus: number; flags: number[]; threadId: number };
  arm(): number;
  tick(ms: number): { polled: boolean; turns: number; timerFired: boolean; due: boolean };
  double(x: number): number;
  doubleLater(x: number): Promise<number>;
  awaitDelay(): Promise<number>;
  doubleAfterTimer(x: number): Promise<number>;
  fail(x: number): never;
  failLater(x: number): Promise<never>;
  reportDouble(x: number): number;
  reportLater(x: number): Promise<number>;
  inTask(): boolean;
  exit(code: number): never;
}>;
export default spin;
