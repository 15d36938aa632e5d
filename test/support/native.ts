import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: build the memory-map addon if `npm ci` has not (test/io needs it; the script
 * never fails, so a failed build shows up as NativeUnavailableError, with the reason, in those tests).
 */
export default function buildNative(): void {
  if (existsSync(new URL('../../build/Release/shared_ndarray_native.node', import.meta.url))) return;
  // from source even where a prebuild exists: the tests are of the current addon source
  execFileSync(process.execPath, ['scripts/build-native.mjs', '--from-source'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
