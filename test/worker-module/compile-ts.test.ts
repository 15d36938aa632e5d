import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledWorkerExecArgv, compileWorkerModule } from '../../src/worker-module/compile-ts.js';

/**
 * compile-ts.ts on a project made here: what it compiles runs as the sources would (their own
 * TypeScript imports bundled, packages resolved from the cache as from the module), it is
 * rebuilt when an input changes, and what it cannot compile faithfully is left to tsx.
 */

const root = realpathSync(mkdtempSync(join(tmpdir(), 'shared-ndarray-compile-ts-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let projects = 0;
/** A project with a node_modules holding package `dep`, and `files` (path → text). */
function project(files: Record<string, string>): string {
  const dir = join(root, `p${projects++}`);
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('package.json', JSON.stringify({ name: 'app', type: 'module', imports: { '#own': './helper.ts' } }));
  write('node_modules/dep/package.json', JSON.stringify({ name: 'dep', type: 'module', exports: { import: './esm.js', require: './cjs.cjs' } }));
  write('node_modules/dep/esm.js', "export const flavour = 'esm';\n");
  write('node_modules/dep/cjs.cjs', "exports.flavour = 'cjs';\n");
  write('helper.ts', "export const own: string = 'own';\n");
  for (const [path, text] of Object.entries(files)) write(path, text);
  return dir;
}

const url = (dir: string, file: string): string => pathToFileURL(join(dir, file)).href;
const importFresh = async (href: string): Promise<Record<string, unknown>> => import(`${href}?t=${Date.now()}${Math.random()}`) as Promise<Record<string, unknown>>;

describe('compileWorkerModule', () => {
  it("bundles the module's own TypeScript (a .js specifier means the .ts, #imports), keeps packages as imports resolved from the cache, and import.meta names the source", async () => {
    const dir = project({
      'src/w.worker.ts': [
        "import { basename } from 'node:path';",
        "import { flavour } from 'dep';",
        "import { twice, type Pair } from './lib/helper.js';",
        "import { own } from '#own';",
        'const pair: Pair = [1, 2];',
        'export const values = { twice: twice(21), flavour, pair, url: import.meta.url, file: basename(import.meta.filename), own };',
        '',
      ].join('\n'),
      'src/lib/helper.ts': 'export type Pair = [number, number];\nexport function twice(x: number): number { return 2 * x; }\n',
    });
    const compiled = compileWorkerModule(url(dir, 'src/w.worker.ts'));
    expect(compiled).toBeDefined();
    const path = fileURLToPath(compiled!);
    expect(path.startsWith(join(dir, 'node_modules', '.cache', 'shared-ndarray', 'workers') + sep)).toBe(true);
    expect(path.endsWith(`${sep}w.worker.mjs`)).toBe(true);
    const mod = await importFresh(compiled!);
    expect(mod.values).toEqual({ twice: 42, flavour: 'esm', pair: [1, 2], url: url(dir, 'src/w.worker.ts'), file: 'w.worker.ts', own: 'own' });
    // a source map back to the sources, for stack traces
    expect(readFileSync(path, 'utf8')).toContain('//# sourceMappingURL=data:application/json;base64,');
  });

  it('is rebuilt when an input changes, and read from the cache while none does', async () => {
    const dir = project({
      'w.worker.ts': "import { n } from './n.js';\nexport const value: number = n;\n",
      'n.ts': 'export const n: number = 1;\n',
    });
    const module = url(dir, 'w.worker.ts');
    const first = compileWorkerModule(module)!;
    const written = statSync(fileURLToPath(first)).mtimeMs;
    expect(compileWorkerModule(module)).toBe(first);
    expect(statSync(fileURLToPath(first)).mtimeMs).toBe(written);
    expect((await importFresh(first)).value).toBe(1);
    // the imported file changes: its size, then only its mtime
    writeFileSync(join(dir, 'n.ts'), 'export const n: number = 22;\n');
    expect((await importFresh(compileWorkerModule(module)!)).value).toBe(22);
    writeFileSync(join(dir, 'n.ts'), 'export const n: number = 33;\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'n.ts'), later, later);
    expect((await importFresh(compileWorkerModule(module)!)).value).toBe(33);
  });

  it.each([
    ['a JavaScript module', 'w.worker.mjs', { 'w.worker.mjs': 'export const x = 1;\n' }],
    ['import.meta in a file it imports', 'w.worker.ts', { 'w.worker.ts': "export { here } from './h.js';\n", 'h.ts': 'export const here = import.meta.url;\n' }],
    ['import.meta.resolve', 'w.worker.ts', { 'w.worker.ts': "export const dep = import.meta.resolve('dep');\n" }],
    ['a self-reference', 'w.worker.ts', { 'w.worker.ts': "export * from 'app';\n" }],
    ['a dynamic import esbuild cannot follow', 'w.worker.ts', { 'w.worker.ts': "const name = './x.js';\nexport const load = () => import(name);\n" }],
    ['a CommonJS file of its own', 'w.worker.ts', { 'w.worker.ts': "import c from './c.cjs';\nexport const v = c;\n", 'c.cjs': "module.exports = require('node:path').sep;\n" }],
    ['a syntax error', 'w.worker.ts', { 'w.worker.ts': 'export const = ;\n' }],
  ])('leaves %s to tsx (undefined)', (_, entry, files) => {
    const dir = project(files as Record<string, string>);
    expect(compileWorkerModule(url(dir, entry))).toBeUndefined();
    // and again, from the refusal recorded in the cache
    expect(compileWorkerModule(url(dir, entry))).toBeUndefined();
  });

  it('bundles the file of an #import Node picks under the conditions the workers have, not esbuild\'s "module"', async () => {
    const dir = project({
      'package.json': JSON.stringify({ name: 'app', type: 'module', imports: { '#flavour': { module: './module.ts', custom: './custom.ts', default: './default.ts' } } }),
      'w.worker.ts': "export { flavour } from '#flavour';\n",
      'module.ts': "export const flavour: string = 'module';\n",
      'custom.ts': "export const flavour: string = 'custom';\n",
      'default.ts': "export const flavour: string = 'default';\n",
    });
    const module = url(dir, 'w.worker.ts');
    expect((await importFresh(compileWorkerModule(module)!)).flavour).toBe('default');
    const saved = process.execArgv;
    const savedOptions = process.env.NODE_OPTIONS;
    Object.defineProperty(process, 'execArgv', { value: [...saved, '-C', 'custom'], configurable: true, writable: true });
    try {
      const compiled = compileWorkerModule(module)!;
      expect((await importFresh(compiled)).flavour).toBe('custom');
      process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --conditions=module`;
      // a compilation of its own for each list of conditions
      expect(compileWorkerModule(module)).not.toBe(compiled);
    } finally {
      Object.defineProperty(process, 'execArgv', { value: saved, configurable: true, writable: true });
      if (savedOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = savedOptions;
    }
    expect((await importFresh(compileWorkerModule(module)!)).flavour).toBe('default');
  });

  it('is off with SHARED_NDARRAY_TS_CACHE=0', () => {
    const dir = project({ 'w.worker.ts': 'export const x: number = 1;\n' });
    process.env.SHARED_NDARRAY_TS_CACHE = '0';
    try {
      expect(compileWorkerModule(url(dir, 'w.worker.ts'))).toBeUndefined();
    } finally {
      delete process.env.SHARED_NDARRAY_TS_CACHE;
    }
    expect(compileWorkerModule(url(dir, 'w.worker.ts'))).toBeDefined();
  });
});

describe('compiledWorkerExecArgv', () => {
  it("drops tsx's preloads from a worker's options and keeps the rest", () => {
    const saved = process.execArgv;
    const set = (argv: string[]): void => { Object.defineProperty(process, 'execArgv', { value: argv, configurable: true, writable: true }); };
    try {
      set(['--require', '/p/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///p/node_modules/tsx/dist/loader.mjs', '--conditions=dev']);
      expect(compiledWorkerExecArgv()).toEqual(['--conditions=dev']);
      // Node refuses a V8 option in a worker's options (ERR_WORKER_INVALID_EXEC_ARGV), so the
      // worker inherits them all, tsx's preloads too; no thread is started to find that out
      set(['--require', '/p/node_modules/tsx/dist/preflight.cjs', '--max-old-space-size=100', '-C', 'dev']);
      expect(compiledWorkerExecArgv()).toBeUndefined();
      set(['--import=tsx', '--import', './other.mjs', '-r', 'tsx/cjs']);
      expect(compiledWorkerExecArgv()).toEqual(['--import', './other.mjs']);
      set(['--enable-source-maps']);
      expect(compiledWorkerExecArgv()).toBeUndefined();
    } finally {
      set(saved);
    }
  });
});
