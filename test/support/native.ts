import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ADDON = new URL('../../build/Release/shared_ndarray_native.node', import.meta.url);
const SOURCES = ['shared_ndarray_native.cc', 'fill.cc'].map((f) => new URL(`../../src/native/${f}`, import.meta.url));

/**
 * vitest globalSetup: build the memory-map addon if `npm ci` has not, or if its source changed
 * since (a pull or a merge), so the tests are of the current source. The script never fails, so
 * a failed build shows up as NativeUnavailableError, with the reason, in those tests.
 */
export default function buildNative(): void {
  if (existsSync(ADDON) && SOURCES.every((s) => statSync(ADDON).mtimeMs >= statSync(s).mtimeMs)) return;
  // from source even where a prebuild exists: the tests are of the current addon source
  execFileSync(process.execPath, ['scripts/build-native.mjs', '--from-source'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
