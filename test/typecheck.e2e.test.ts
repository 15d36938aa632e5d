import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { CACHE, files, folders, touchStamp, upToDate } from './support/build.js';

/**
 * `npm run typecheck` (tsc over src, test, examples and bench with the strict settings of
 * tsconfig.json) as one of the tests, so that its seconds of compiler time run beside the other
 * files instead of before all of them. tsc's incremental check of a tree it has already passed
 * still reads and hashes every file (about 5 CPU seconds), so a stamp, touched only after a clean
 * run, skips it while no input is newer: every file and folder tsconfig.json includes, the
 * configs, and package-lock.json for the compiler and @types (`npm ci` empties the cache).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(CACHE, 'typecheck.stamp');
const inputs = (): string[] => [
  ...['src', 'test', 'examples', 'bench'].flatMap((dir) => [...folders(join(ROOT, dir)), ...files(join(ROOT, dir))]),
  ...['tsconfig.json', 'vitest.config.ts', 'package.json', 'package-lock.json'].map((file) => join(ROOT, file)),
];

it('npm run typecheck: tsc reports no error', async () => {
  if (upToDate(STAMP, inputs())) return;
  const started = new Date();
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile('npm', ['run', '--silent', 'typecheck'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, shell: process.platform === 'win32' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
  expect(output, 'tsc diagnostics').toBe('');
  expect(code).toBe(0);
  touchStamp(STAMP, started);
}, 120_000);
