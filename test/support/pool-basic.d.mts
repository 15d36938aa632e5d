// The type of pool-basic.mjs, for `Pool<typeof import('./pool-basic.mjs')>`: the functions' own
// parameters and results, which the plain .mjs cannot declare.
import type { ArgumentError, SharedNDArray } from 'shared-ndarray';
import type { WorkerDefinition } from 'shared-ndarray/worker';

type Int32 = SharedNDArray<'int32'>;

declare const basic: WorkerDefinition<{
  add(a: number, b: number): number;
  square(x: number): number;
  returnFunction(): () => number;
  echo(value: unknown): unknown;
  threadId(): number;
  tagged(item: number): [item: number, threadId: number];
  asyncDouble(x: number): Promise<number>;
  delayed(item: { ms: number; value: number }): Promise<number>;
  sleepThen(ms: number, value: string): Promise<string>;
  structured(n: number): {
    n: number; list: unknown[]; floats: Float64Array; bytes: Uint8Array; big: bigint; map: Map<string, Set<number>>; date: Date;
  };
  pair(x: number): [number, number[]];
  failIfNegative(x: number): number;
  failAsyncIfNegative(x: number): Promise<number>;
  fail(message: string): never;
  failAsync(message: string): Promise<never>;
  failType(message: string): never;
  failLibrary(): never;
  failDType(): never;
  failWithCode(code: unknown): never;
  failCustomName(): never;
  errorsInResult(): [TypeError, { deep: ArgumentError }];
  describeErrors(list: Error[]): Array<[boolean, boolean, string, string, string]>;
  returnTagged(kind: string): unknown;
  returnLookalike(kind: string): unknown;
  viaThis(x: number): number;
  failWithCause(): never;
  failAggregate(): never;
  returnPlainNDArray(): SharedNDArray;
  fillRows(array: SharedNDArray, start: number, stop: number): { start: number; stop: number; threadId: number };
  rowArgs(array: SharedNDArray, start: number, stop: number, ...rest: unknown[]): unknown[];
  atomicsView(array: Int32): { previous: number; view: Int32; isShared: boolean; isNDArray: boolean };
  sameBuffer(x: SharedNDArray, y: SharedNDArray): [same: boolean, shared: boolean];
  nested(input: { obj: { a: Int32 }; list: [number, Int32]; map: Map<string, Int32> }): {
    same: boolean;
    types: boolean[];
    back: [Int32, { deeper: Map<string, Int32> }];
    set: Set<Int32>;
    fresh: Int32;
  };
  barrier(counter: Int32, n: number): number;
  gate(item: { cells: Int32; i: number }): number;
  progressSteps(n: number): Promise<number>;
  progressWith(done: unknown, total: unknown): void;
  spin(): never;
  exit(code: number): never;
  uncaughtLater(message: string): Promise<never>;
  allocateForever(): never;
  exitLater(ms: number, code: number): string;
}>;
export default basic;
