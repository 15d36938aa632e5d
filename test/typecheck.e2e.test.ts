import { expect, it } from 'vitest';
import { typesResult } from './support/types.js';

/**
 * `npm run typecheck` (tsc over src, test, examples and bench with the strict settings of
 * tsconfig.json) as one of the tests. The end-to-end project's global setup runs it in a process
 * of its own, in one program with the package's declarations (test/support/types.ts), beside the
 * test files instead of before them, and not at all while no input is newer than its last clean
 * run; this test waits for its result.
 */
it('npm run typecheck: tsc reports no error', async () => {
  const { code, output } = await typesResult();
  expect(output, 'tsc diagnostics').toBe('');
  expect(code).toBe(0);
}, 600_000);
