import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: build the memory-map addon if `npm ci` has not (test/io needs it; the script
 * never fails, so a failed build shows up as NativeUnavailableError, with the reason, in those tests).
 */
export default function buildNative(): void {
  if (existsSync(new URL('../../build/Release/shared_ndarray_native.node', import.meta.url))) return;
  execFileSync(process.execPath, ['scripts/build-native.mjs'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
