import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildNative from './native.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
/** In node_modules/.cache so that `npm ci` (as in CI) starts from a full build. */
export const CACHE = join(ROOT, 'node_modules', '.cache', 'shared-ndarray');
/** Touched after each step below, with the time the step started: its inputs are older, or it runs. */
const STAMPS = { bundle: join(CACHE, 'bundle.stamp'), bench: join(CACHE, 'bench.stamp') };

export function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * `to`, a tree of hard links to `from`'s files (symbolic links as they are; copies where `to` is
 * on another file system): a copy of a package's files for a test that only adds files to it, at
 * a tenth of cpSync's CPU. A file written in place there is written in `from` too.
 */
export function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        copyFileSync(source, target);
      }
    }
  }
}

/** `dir` and every folder in it: a file deleted or renamed there makes its folder newer. */
export function folders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return [dir, ...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name))];
}

/**
 * What tsc writes for each src/**.ts (tsconfig.build.json): declarations only, as the JavaScript
 * is bundled (scripts/bundle.mjs). The end-to-end tests write them (types.ts).
 */
export function declarationFiles(): string[] {
  const sources = files(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => relative(SRC, f).slice(0, -3));
  return sources.flatMap((s) => ['.d.ts', '.d.ts.map'].map((ext) => join(DIST, s + ext)));
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
 * vitest globalSetup of the thread and end-to-end tests: bundle src/'s JavaScript
 * (scripts/bundle.mjs) and build the bench, which the tarball ships, to dist/ so workers, child
 * processes and the tarball run current code, unless no input is newer than the last build. tsc's
 * declarations are the end-to-end project's, written beside its test files (types.ts); a
 * declaration whose source is gone is deleted here (it must not linger in the packed tarball).
 */
export default function build(): void {
  // Two projects use this setup; the first one to run it builds for both.
  if (process.env.SHARED_NDARRAY_TEST_BUILT === '1') return;
  const expected = new Set(declarationFiles());
  const configs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => join(ROOT, f));
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
