import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * `npm run typecheck` (tsc over src, test, examples and bench with the strict settings of
 * tsconfig.json) as one of the tests, so that its seconds of compiler time run beside the other
 * files instead of before all of them.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

it('npm run typecheck: tsc reports no error', async () => {
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile('npm', ['run', '--silent', 'typecheck'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, shell: process.platform === 'win32' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
  expect(output, 'tsc diagnostics').toBe('');
  expect(code).toBe(0);
}, 120_000);
