// Bundles src/ into dist/: every file a user, a worker or a child process loads by name (the
// package's entry points, the worker bootstraps, the command) becomes one module, and the code
// they share goes to dist/chunks/ once, so each class still exists once per thread. tsc writes only
// the declarations (tsconfig.build.json). Why: an import of ~100 small modules costs Node about
// 2 ms of CPU each (resolve, read, compile), 3-4x an import of piscina; see docs/performance.md.
//
// `import.meta.url` in a source file stays the URL its unbundled output had (dist/<path>.js), so
// the paths resolved from it (../../ to the package, ./worker-entry.js beside it) stay right.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Loaded by name from outside the bundle: the exports map, worker/child bootstraps, the bin. */
export const ENTRIES = [
  'index', 'worker', 'pool/index', 'sync/index', 'sharedctypes/index', 'process/index', 'io/index', 'manager/index', 'sieve/index',
  'ops/index', 'cluster/index', 'pool/worker-entry', 'process/process-entry', 'sieve/sieve.worker', 'ops/ops.worker', 'manager/server', 'cli/main',
  // probed alone by the installed-package tests of the addon (test/io/native.e2e.test.ts)
  'io/native',
];

/** Entries loaded by a worker thread; the rest run in the thread that imports the package. */
const WORKER_SIDE = new Set(['worker', 'pool/worker-entry', 'process/process-entry', 'sieve/sieve.worker', 'ops/ops.worker', 'manager/server']);
const WORKER_CORE = ['worker', 'register-kinds'];
const MAIN_CORE = [...WORKER_CORE, 'index'];

/**
 * esbuild puts code in a chunk per set of entries that reach it: 15 entries made ~30 chunks, and
 * an import of the package loaded 41 modules. So each entry also imports its side's core, and
 * that code lands in two chunks: what every thread runs, and what the main side adds.
 */
function groupImports(path) {
  const entry = relative(src, path).replaceAll('\\', '/').replace(/\.ts$/, '');
  if (!ENTRIES.includes(entry)) return '';
  const core = WORKER_SIDE.has(entry) ? WORKER_CORE : MAIN_CORE;
  return core.filter((c) => c !== entry).map((c) => `\nimport ${JSON.stringify(join(src, `${c}.ts`))};`).join('');
}

/**
 * Each source file that reads `import.meta.url` gets a const of the URL its unbundled output would
 * have (the dist/ root is found from whichever output file the code lands in; none is under a dist/
 * of its own), and `define` points every `import.meta.url` in code (not in strings) at it. It goes
 * on the first line after a hashbang, so line numbers and source maps stay as they were.
 */
const URL_CONST = '__sharedNdarrayModuleUrl';
const moduleUrl = {
  name: 'module-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      let text = await readFile(path, 'utf8');
      const tail = groupImports(path);
      if (tail !== '') text += tail;
      else if (!text.includes('import.meta.url')) return undefined;
      const output = relative(src, path).replaceAll('\\', '/').replace(/\.ts$/, '.js');
      const line = `const ${URL_CONST} = ((m) => new URL(${JSON.stringify(output)}, m.url.slice(0, m.url.lastIndexOf('/dist/') + 6)).href)(import.meta);`;
      const at = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
      return { contents: text.slice(0, at) + line + text.slice(at), loader: 'ts' };
    });
  },
};

const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: ENTRIES.map((e) => ({ in: `src/${e}.ts`, out: e })),
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  // package.json's sideEffects names the bundled files; every source module here keeps its own
  ignoreAnnotations: true,
  // classes keep their names (`constructor.name`, error names, show()), which bundling would rename on clashes
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
  define: { 'import.meta.url': URL_CONST },
  plugins: [moduleUrl],
});

// JavaScript left from an earlier build (an old chunk, tsc's per-file output) must not linger in
// dist/ or in the packed tarball; dist/bench/ is the bench's own build.
const outputs = new Set(Object.keys(metafile.outputs).map((f) => join(root, f)));
const dist = join(root, 'dist');
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  const file = join(entry.parentPath, entry.name);
  if (entry.isFile() && /\.js(\.map)?$/.test(entry.name) && !outputs.has(file) && !file.startsWith(join(dist, 'bench'))) rmSync(file);
}
