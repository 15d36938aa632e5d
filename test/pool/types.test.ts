import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AsyncResult, Pool, SharedNDArray, WorkerFunctions } from '../../src/index.js';

/**
 * Compile-time checks of how a Pool types calls from its worker module's type; `npm test` runs
 * them through tsc (the @ts-expect-error lines fail the type check if the error goes away).
 */
type Typed = Pool<typeof import('../support/typed-worker.js')>;

/** Never called: the checks are for tsc, and these values exist only as types. */
function checks(pool: Typed, matrix: SharedNDArray<'float64'>, loose: Pool): void {

  describe('Pool<typeof import(...)>', () => {
    it('types apply, map, starmap and their results from the module', () => {
      expectTypeOf(pool.apply('label', 1, 'a')).toEqualTypeOf<Promise<string>>();
      expectTypeOf(pool.map('pair', [1, 2])).toEqualTypeOf<Promise<Array<[number, number]>>>();
      expectTypeOf(pool.starmap('label', [[1, 'a'], [2, 'b']])).toEqualTypeOf<Promise<string[]>>();
      expectTypeOf(pool.applyAsync('label', [1, 'a'])).toEqualTypeOf<AsyncResult<string>>();
      expectTypeOf(pool.run('label', [1, 'a'], { signal: AbortSignal.timeout(1), onProgress: (done, total) => done / total })).toEqualTypeOf<Promise<string>>();
      expectTypeOf(pool.mapAsync('pair', [1])).toEqualTypeOf<AsyncResult<Array<[number, number]>>>();
      expectTypeOf(pool.imap('pair', [1])).toEqualTypeOf<AsyncGenerator<[number, number], void, undefined>>();
      expectTypeOf(pool.mapRows('scale', matrix, { args: [2] })).toEqualTypeOf<Promise<number[]>>();
    });

    it('rejects unknown names and wrong arguments at compile time', () => {
      const never = (): void => {
        // @ts-expect-error no such function
        void pool.apply('nope');
        // @ts-expect-error wrong argument type
        void pool.apply('label', 'one', 'a');
        // @ts-expect-error missing argument
        void pool.apply('label', 1);
        // @ts-expect-error run takes the arguments as one array, typed like apply's
        void pool.run('label', [1]);
        // @ts-expect-error imap reports no progress
        void pool.imap('pair', [1], { onProgress: () => {} });
        // @ts-expect-error map items are the first parameter
        void pool.map('pair', ['x']);
        // @ts-expect-error the extra row arguments must match
        void pool.mapRows('scale', matrix, { args: ['2'] });
      };
      void never;
    });

    it('reads named-export modules and untyped pools', () => {
      type Named = WorkerFunctions<typeof import('../support/typed-named-worker.js')>;
      expectTypeOf<keyof Named>().toEqualTypeOf<'double' | 'triple'>();
      expectTypeOf<Named['triple']>().toEqualTypeOf<(x: number) => number>();
      expectTypeOf(loose.apply('anything', 1, 2)).toEqualTypeOf<Promise<unknown>>();
      // extra row arguments on an untyped pool are unknown, not refused
      expectTypeOf(loose.mapRows('anything', matrix, { args: [8, 'x'] })).toEqualTypeOf<Promise<unknown[]>>();
    });
  });
}

describe('Pool types', () => {
  it('are checked by tsc in npm test (test/pool/types.test.ts)', () => {
    expect(typeof checks).toBe('function');
  });
});
