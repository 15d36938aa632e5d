import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildNative from './native.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
/** In node_modules/.cache so that `npm ci` (as in CI) starts from a full build. */
export const CACHE = join(ROOT, 'node_modules', '.cache', 'shared-ndarray');
const BUILD_INFO = join(CACHE, 'build.tsbuildinfo');
/** Touched after each step below, with the time the step started: its inputs are older, or it runs. */
const STAMPS = { package: join(CACHE, 'build.stamp'), bundle: join(CACHE, 'bundle.stamp'), bench: join(CACHE, 'bench.stamp') };
/** What tsc writes for each src/**.ts, minus the `.ts`: declarations only; the JavaScript is bundled (scripts/bundle.mjs). */
const OUTPUTS = ['.d.ts', '.d.ts.map'];

export function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** `dir` and every folder in it: a file deleted or renamed there makes its folder newer. */
export function folders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return [dir, ...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name))];
}

/** Whether `stamp` is newer than every one of `inputs`, and every one of `outputs` exists. */
export function upToDate(stamp: string, inputs: string[], outputs: string[] = []): boolean {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : -1;
  return built >= 0 && outputs.every((f) => existsSync(f)) && inputs.every((f) => statSync(f).mtimeMs < built);
}

/** Records that a step which started at `started` is done: a file edited while it ran is newer. */
export function touchStamp(stamp: string, started: Date): void {
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, '');
  utimesSync(stamp, started, started);
}

/**
 * Runs `step` unless `stamp` is newer than every one of `inputs` and `outputs` all exist. An
 * unchanged tree skips both compiles: tsc's own incremental check of one reads and hashes every
 * file, about 4 CPU seconds, and the bench's build is a full one of about 5.
 */
function unlessUpToDate(stamp: string, inputs: string[], outputs: string[], step: () => void): void {
  if (upToDate(stamp, inputs, outputs)) return;
  const started = new Date();
  step();
  touchStamp(stamp, started);
}

/**
 * vitest globalSetup of the thread and end-to-end tests: build src/ (declarations by tsc, the
 * JavaScript bundled by scripts/bundle.mjs) and the bench, which the tarball ships, to dist/ so
 * workers, child processes and the tarball run current code. The compile is incremental: it re-emits only what
 * changed since the last run, which tsc tracks in BUILD_INFO but checks against src/ only, so a
 * dist/ file deleted by hand forces a full build here, and a file whose source is gone is deleted
 * (it must not linger in the packed tarball). Neither compile runs when no input is newer than
 * its last run.
 */
export default function build(): void {
  // Two projects use this setup; the first one to run it builds for both.
  if (process.env.SHARED_NDARRAY_TEST_BUILT === '1') return;
  const sources = files(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => relative(SRC, f).slice(0, -3));
  const expected = new Set(sources.flatMap((s) => OUTPUTS.map((ext) => join(DIST, s + ext))));
  const configs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => join(ROOT, f));
  unlessUpToDate(STAMPS.package, [...files(SRC), ...configs], [...expected], () => {
    if ([...expected].some((f) => !existsSync(f))) rmSync(BUILD_INFO, { force: true });
    execFileSync(process.execPath, [
      'node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO,
    ], { cwd: ROOT, stdio: 'inherit' });
  });
  // dist/bench/ is the bench's own build (scripts/build-bench.mjs), made below; the bundle
  // removes JavaScript it did not write itself
  for (const file of files(DIST)) if (!expected.has(file) && !/\.js(\.map)?$/.test(file) && !file.startsWith(join(DIST, 'bench'))) rmSync(file);
  unlessUpToDate(STAMPS.bundle, [...files(SRC), join(ROOT, 'scripts', 'bundle.mjs'), ...configs], [join(DIST, 'index.js')], () => {
    execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' });
  });
  // the benchmark runner the CLI starts and the tarball ships: each file transpiled on its own
  // (scripts/build-bench.mjs); typecheck.e2e checks its types
  const benchInputs = [...files(join(ROOT, 'bench')), join(ROOT, 'scripts', 'build-bench.mjs'), ...configs];
  unlessUpToDate(STAMPS.bench, benchInputs, [join(DIST, 'bench', 'run.js')], () => {
    execFileSync(process.execPath, ['scripts/build-bench.mjs'], { cwd: ROOT, stdio: 'inherit' });
  });
  buildNative();
  process.env.SHARED_NDARRAY_TEST_BUILT = '1';
}
