import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: compile src/ and bench/ to dist/ so workers and the tarball test run current
 * code, and build the memory-map addon if `npm ci` has not (test/io needs it; the script never
 * fails, so a failed build shows up as NativeUnavailableError, with the reason, in those tests).
 */
export default function build(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // a clean dist/: files of deleted sources must not linger in the packed tarball
  rmSync(new URL('../../dist', import.meta.url), { recursive: true, force: true });
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // the benchmark runner the CLI starts and the tarball ships; after dist/, as it imports the package
  execFileSync(process.execPath, ['scripts/build-bench.mjs'], { cwd: root, stdio: 'inherit' });
  // from source even where a prebuild exists: the tests are of the current addon source
  if (!existsSync(new URL('../../build/Release/shared_ndarray_native.node', import.meta.url))) {
    execFileSync(process.execPath, ['scripts/build-native.mjs', '--from-source'], { cwd: root, stdio: 'inherit' });
  }
}
