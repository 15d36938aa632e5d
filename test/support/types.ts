import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import { CACHE, declarationFiles, files, folders, touchStamp, upToDate } from './build.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** Where test/support/check-and-declare.mjs writes its result in this run. */
    typesResult: string;
    /** Where it writes, before that, that dist/'s declarations are written. */
    declarationsResult: string;
  }
}

/**
 * The end-to-end project's tsc, started by its global setup in a process of its own beside the
 * test files instead of before them: `npm run typecheck`'s check (asserted by typecheck.e2e) and
 * the package's declarations in dist/ (which package.e2e packs and type-checks consumers
 * against), in one program (check-and-declare.mjs). The thread tests load only dist/'s
 * JavaScript, which build.ts bundles, so they no longer wait for tsc.
 *
 * Neither job runs when no input is newer than its last clean run (a stamp each, touched with the
 * time the run started): the check's inputs are every file and folder tsconfig.json includes,
 * the configs and package-lock.json (the compiler and @types); the declarations' are src/ and
 * the configs, and each declaration file must exist. When only the check runs (a test edited),
 * package.e2e does not wait for it: it waits for the declarations alone, written first.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const STAMPS = { check: join(CACHE, 'typecheck.stamp'), declarations: join(CACHE, 'declarations.stamp') };
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'].map((f) => join(ROOT, f));

export interface TypesResult { code: number; output: string }

export default function startTypes(project: TestProject): () => void {
  mkdirSync(CACHE, { recursive: true });
  const result = join(CACHE, `types-${process.pid}-${Date.now()}.json`);
  const declarations = join(CACHE, `declarations-${process.pid}-${Date.now()}.json`);
  project.provide('typesResult', result);
  project.provide('declarationsResult', declarations);
  const checkInputs = [
    ...['src', 'test', 'examples', 'bench'].flatMap((dir) => [...folders(join(ROOT, dir)), ...files(join(ROOT, dir))]),
    join(ROOT, 'vitest.config.ts'), ...CONFIGS,
  ];
  const checked = upToDate(STAMPS.check, checkInputs);
  const declared = upToDate(STAMPS.declarations, [...files(SRC), ...CONFIGS], declarationFiles());
  const started = new Date();
  let child: ChildProcess | undefined;
  let finished = false;
  if (declared) writeResult(declarations, { code: 0, output: '' });
  if (checked && declared) {
    writeResult(result, { code: 0, output: '' });
  } else {
    const script = fileURLToPath(new URL('check-and-declare.mjs', import.meta.url));
    child = spawn(process.execPath, [script, result, ...(declared ? [] : [declarations])], { cwd: ROOT, stdio: 'inherit' });
    // below the test files' processes: on 2 cores it takes what they leave, and a test's start
    // timeout (a pool's workers under tsx) does not share a core with it at full weight
    if (child.pid !== undefined) setPriority(child.pid, 10);
    child.on('exit', (code, signal) => {
      // a crash writes no result: say so to the tests that wait for one
      const crashed = { code: code ?? 1, output: `test/support/check-and-declare.mjs exited with ${code ?? signal} and no result` };
      for (const path of [declarations, result]) if (!finished && !readResult(path)) writeResult(path, crashed);
    });
  }
  return () => {
    finished = true;
    if (child && readResult(result)?.code === 0) for (const stamp of Object.values(STAMPS)) touchStamp(stamp, started);
    // a run stopped early (a filter, a failure, ^C) leaves no tsc behind; one done is exiting
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
    for (const path of [declarations, result]) rmSync(path, { force: true });
  };
}

function writeResult(path: string, value: TypesResult): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(value));
  renameSync(`${path}.tmp`, path);
}

function readResult(path: string): TypesResult | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as TypesResult) : undefined;
}

/**
 * The result of this run's tsc, once it is done (or with `'declarationsResult'`, of its
 * declarations): polled, as it runs in another process than the test file that waits. Bounded:
 * tsc takes 30 CPU s, so 10 minutes is only a hang.
 */
export async function typesResult(which: 'typesResult' | 'declarationsResult' = 'typesResult'): Promise<TypesResult> {
  const path = inject(which);
  const deadline = Date.now() + 600_000;
  for (;;) {
    const done = readResult(path);
    if (done) return done;
    if (Date.now() > deadline) throw new Error(`tsc (test/support/check-and-declare.mjs) wrote no result to ${path} in 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
