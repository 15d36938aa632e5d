/** Small helpers shared by test files. */

/** The error `promise` rejects with; fails if it resolves or rejects with a non-Error. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The error `fn` throws synchronously. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected a throw, but the call returned');
}

/** Trial division, independent of the library: exact for every safe integer (slow only for large primes). */
export function isPrime(k: number): boolean {
  if (k < 2) return false;
  if (k % 2 === 0) return k === 2;
  for (let d = 3; d * d <= k; d += 2) if (k % d === 0) return false;
  return true;
}

/** fast-check parameters with the suite's fixed seed, so failures repeat. */
export const params = (numRuns: number): { seed: number; numRuns: number } => ({ seed: 0x5eed_2024, numRuns });
