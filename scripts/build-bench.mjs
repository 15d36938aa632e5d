// Compiles the benchmark runner, harness and suites (bench/) to dist/bench/, one JavaScript file
// per source as tsc would write it, and copies the files they load as they are: the worker
// modules, the Python peers and the performance page's template. Run after the package's own
// build: the suites import the package by its name, which resolves to dist/.
//
// esbuild, not tsc: a transpile of each file (0.4 CPU s) instead of a full type-check of the bench
// and the package's declarations (6.7 CPU s, in every test run that changed a source). The
// bench is type-checked with everything else by `npm run typecheck` (tsconfig.json includes it),
// and its files are isolated modules (tsconfig.json `isolatedModules`), which a per-file transpile
// compiles exactly.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const from = (path) => fileURLToPath(new URL(`../bench/${path}`, import.meta.url));
const to = (path) => fileURLToPath(new URL(`../dist/bench/${path}`, import.meta.url));

rmSync(to(''), { recursive: true, force: true });
await build({
  entryPoints: ['run.ts', 'docs.ts', 'harness/*.ts', 'suites/*.ts'].map(from),
  outbase: from(''),
  outdir: to(''),
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  logLevel: 'warning',
});
for (const dir of ['support', 'peers']) cpSync(from(dir), to(dir), { recursive: true });
cpSync(from('performance.template.md'), to('performance.template.md'));
