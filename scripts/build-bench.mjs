// Compiles the benchmark runner, harness and suites (bench/, tsconfig.bench.json) to dist/bench/,
// and copies the files they load as they are: the worker modules, the Python peers and the
// performance page's template. Run after the package's own build: the suites import the package
// by its name, which resolves to dist/.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const from = (path) => fileURLToPath(new URL(`../bench/${path}`, import.meta.url));
const to = (path) => fileURLToPath(new URL(`../dist/bench/${path}`, import.meta.url));

rmSync(to(''), { recursive: true, force: true });
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench.json'], { cwd: root, stdio: 'inherit' });
for (const dir of ['support', 'peers']) cpSync(from(dir), to(dir), { recursive: true });
cpSync(from('performance.template.md'), to('performance.template.md'));
