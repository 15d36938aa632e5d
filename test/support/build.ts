import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildNative from './native.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
/** In node_modules/.cache so that `npm ci` (as in CI) starts from a full build. */
const BUILD_INFO = join(ROOT, 'node_modules', '.cache', 'shared-ndarray', 'build.tsbuildinfo');
/** What tsc writes for each src/**.ts, minus the `.ts`. */
const OUTPUTS = ['.js', '.js.map', '.d.ts', '.d.ts.map'];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * vitest globalSetup of the thread and end-to-end tests: compile src/ (and the bench, which the
 * tarball ships) to dist/ so workers, child processes and the tarball run current code. The compile is incremental: it re-emits only what
 * changed since the last run, which tsc tracks in BUILD_INFO but checks against src/ only, so a
 * dist/ file deleted by hand forces a full build here, and a file whose source is gone is deleted
 * (it must not linger in the packed tarball).
 */
export default function build(): void {
  // Two projects use this setup; the first one to run it builds for both.
  if (process.env.SHARED_NDARRAY_TEST_BUILT === '1') return;
  const sources = files(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => relative(SRC, f).slice(0, -3));
  if (sources.some((s) => OUTPUTS.some((ext) => !existsSync(join(DIST, s + ext))))) rmSync(BUILD_INFO, { force: true });
  execFileSync(process.execPath, [
    'node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO,
  ], { cwd: ROOT, stdio: 'inherit' });
  const expected = new Set(sources.flatMap((s) => OUTPUTS.map((ext) => join(DIST, s + ext))));
  // dist/bench/ is the bench's own build (scripts/build-bench.mjs), made again below
  for (const file of files(DIST)) if (!expected.has(file) && !file.startsWith(join(DIST, 'bench'))) rmSync(file);
  // the benchmark runner the CLI starts and the tarball ships; after dist/, as it imports the package
  execFileSync(process.execPath, ['scripts/build-bench.mjs'], { cwd: ROOT, stdio: 'inherit' });
  buildNative();
  process.env.SHARED_NDARRAY_TEST_BUILT = '1';
}
