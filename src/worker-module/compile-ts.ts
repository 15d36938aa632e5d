/**
 * A TypeScript worker module, compiled once on the calling thread so that workers import plain
 * JavaScript. Registering tsx in a worker (what load.ts falls back to) starts a loader-hooks
 * thread per worker that loads tsx and esbuild again: 0.4-1 s for each worker and each Process.
 *
 * esbuild (tsx's own compiler, found next to tsx; nothing is added to this package's
 * dependencies) bundles the module with the user's own files it imports (`./helper.js` → its
 * `.ts`, tsconfig `paths`), and leaves packages and Node built-ins as imports. The result is kept
 * in `node_modules/.cache/shared-ndarray/workers/` of the nearest `node_modules` above the module:
 * from there, packages resolve as they do from the module itself (no `node_modules` lies between).
 * It is keyed by the module's path and rebuilt when the path, mtime or size of any input changes.
 *
 * Where the result could differ from loading the sources (a self-reference or `#import` of a
 * package, `import.meta` outside the module itself, a dynamic `import()` esbuild cannot follow,
 * any esbuild warning), or esbuild is not found, this returns undefined and the worker loads the
 * module through tsx as before.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isTypeScriptModule } from './compiled.js';

/** Bumped when what this file writes changes, so older cache entries are not read. */
const FORMAT = 1;
const COMPILABLE = /\.m?ts$/i;

/** The part of esbuild's API used here. */
interface Esbuild {
  buildSync(options: Record<string, unknown>): {
    outputFiles?: Array<{ text: string }>;
    warnings: unknown[];
    metafile?: Metafile;
  };
}

interface Metafile { inputs: Record<string, { format?: string; imports: Array<{ path: string; external?: boolean }> }> }

/** Where esbuild is and its version, once found (null: nowhere). */
let esbuildAt: { path: string; version: string } | null | undefined;
let esbuild: Esbuild | undefined;

/** esbuild from where a user who runs TypeScript has it: beside tsx, or installed itself. Not loaded yet. */
function findEsbuild(moduleUrl: string): { path: string; version: string } | undefined {
  if (esbuildAt !== undefined) return esbuildAt ?? undefined;
  esbuildAt = null;
  // the tsx this process runs under (npx tsx, a global tsx) need not be installed where the module is
  const running = process.execArgv.filter((arg) => TSX_FILE.test(arg)).map((arg) => arg.replace(/^--[a-z-]+=/, ''));
  for (const from of [moduleUrl, import.meta.url, ...running]) {
    const req = createRequire(from);
    for (const find of [() => req.resolve('esbuild/package.json'), () => createRequire(req.resolve('tsx/package.json')).resolve('esbuild/package.json')]) {
      try {
        const manifest = find();
        const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
        esbuildAt = { path: dirname(manifest), version };
        return esbuildAt;
      } catch {
        // not there; try the next place
      }
    }
  }
  return undefined;
}

function loadEsbuild(path: string): Esbuild | undefined {
  try {
    esbuild ??= createRequire(import.meta.url)(path) as Esbuild;
    return typeof esbuild.buildSync === 'function' ? esbuild : undefined;
  } catch {
    return undefined;
  }
}

function nearestNodeModules(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (basename(d) !== 'node_modules' && existsSync(join(d, 'node_modules'))) return join(d, 'node_modules');
    if (dirname(d) === d) return undefined;
  }
}

/** The name of the package whose scope `dir` is in (self-references resolve to it). */
function scopeName(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, 'package.json');
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
      } catch {
        return undefined;
      }
    }
    if (basename(d) === 'node_modules' || dirname(d) === d) return undefined;
  }
}

const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

type Input = [path: string, mtimeMs: number, size: number];
/** `file` null: the module was found not to compile faithfully; it is left to tsx until an input changes. */
interface Manifest { format: number; file: string | null; inputs: Input[] }

const stamp = (path: string): Input => {
  const s = statSync(path);
  return [path, s.mtimeMs, s.size];
};

/** The cached compilation (null: a refusal), if every input is as it was when it was made. */
function cached(dir: string): string | null | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    if (manifest.format !== FORMAT) return undefined;
    for (const [path, mtimeMs, size] of manifest.inputs) {
      const [, m, s] = stamp(path);
      if (m !== mtimeMs || s !== size) return undefined;
    }
    if (manifest.file === null) return null;
    const file = join(dir, manifest.file);
    return existsSync(file) ? pathToFileURL(file).href : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `text` to `file` whole or not at all (another process may be reading or writing it). */
function writeAtomic(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Compilations made by this thread, by module URL: a pool and its replacements compile once. */
const compilations = new Map<string, string | undefined>();

/**
 * The URL of the compiled JavaScript of the TypeScript worker module `moduleUrl`, or undefined
 * when it is not TypeScript or cannot be compiled faithfully (the worker then uses tsx).
 * Synchronous: a pool starts its workers before the caller can block its thread.
 */
export function compileWorkerModule(moduleUrl: string): string | undefined {
  if (!isTypeScriptModule(moduleUrl) || process.env.SHARED_NDARRAY_TS_CACHE === '0') return undefined;
  const conditions = userConditions();
  const made = `${moduleUrl}\0${conditions.join('\0')}`;
  const hit = compilations.get(made);
  if (hit !== undefined && cached(dirname(fileURLToPath(hit))) === hit) return hit;
  const url = compile(moduleUrl, conditions);
  compilations.set(made, url);
  return url;
}

function compile(moduleUrl: string, conditions: string[]): string | undefined {
  const source = fileURLToPath(moduleUrl);
  const sourceDir = dirname(source);
  const nodeModules = nearestNodeModules(sourceDir);
  const root = nodeModules !== undefined
    ? join(nodeModules, '.cache', 'shared-ndarray', 'workers')
    : join(tmpdir(), `shared-ndarray-${process.getuid?.() ?? userInfo().username}`, 'workers');
  const found = findEsbuild(moduleUrl);
  if (found === undefined) return undefined;
  // node:crypto costs several ms of CPU to load: only a TypeScript worker module needs it
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const key = createHash('sha256').update(`${FORMAT}\0${source}\0${found.version}\0${process.version}\0${conditions.join('\0')}`).digest('hex').slice(0, 20);
  const dir = join(root, key);
  const hit = cached(dir);
  if (hit !== undefined) return hit ?? undefined;

  const builder = loadEsbuild(found.path);
  if (builder === undefined) return undefined;
  let result: ReturnType<Esbuild['buildSync']>;
  try {
    result = builder.buildSync({
      entryPoints: [source],
      bundle: true,
      packages: 'external',
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node}`,
      sourcemap: 'inline',
      absWorkingDir: sourceDir,
      logLevel: 'silent',
      // the module's own files (#imports) chosen as Node chooses them in the workers: given any
      // list, esbuild drops the "module" condition it adds by default, which Node does not take
      conditions,
      // the module's own import.meta is its source's (other inputs that use it are refused below)
      define: {
        'import.meta.url': JSON.stringify(moduleUrl),
        'import.meta.filename': JSON.stringify(source),
        'import.meta.dirname': JSON.stringify(sourceDir),
      },
    });
  } catch {
    return undefined;
  }
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined || result.metafile === undefined) return undefined;

  const inputs: Input[] = [];
  for (const name of Object.keys(result.metafile.inputs)) {
    // a namespaced input (esbuild's own, or a disabled path) is not a file of the user's
    const path = /^[a-z-]+:/i.test(name) ? undefined : resolve(sourceDir, name);
    if (path === undefined || !existsSync(path)) return undefined;
    inputs.push(stamp(path));
  }
  const faithful = result.warnings.length === 0 && isFaithful(text, result.metafile, source, nodeModules);
  try {
    mkdirSync(dir, { recursive: true });
    const file = faithful ? `${basename(source).replace(COMPILABLE, '')}.mjs` : null;
    if (file !== null) writeAtomic(join(dir, file), text);
    writeAtomic(join(dir, 'manifest.json'), JSON.stringify({ format: FORMAT, file, inputs } satisfies Manifest));
    return file === null ? undefined : pathToFileURL(join(dir, file)).href;
  } catch {
    return undefined;
  }
}

/** Whether the bundle of `source` runs as its sources do, from the cache under `nodeModules`. */
function isFaithful(text: string, metafile: Metafile, source: string, nodeModules: string | undefined): boolean {
  // import(name) of a computed name would resolve from the cache, not from the file it is in
  if (/\bimport\s*\(\s*(?!["'])/.test(text)) return false;
  const sourceDir = dirname(source);
  const scopes = new Map<string, string | undefined>();
  for (const [name, input] of Object.entries(metafile.inputs)) {
    // CommonJS bundled into an ES module cannot require() its packages
    if (input.format === 'cjs') return false;
    const path = resolve(sourceDir, name);
    const code = readFileSync(path, 'utf8');
    // import.meta.url and its kin are defined as the module's own: other files' would be wrong
    if (/\bimport\.meta\b/.test(code) && (path !== source || /\bimport\.meta(?!\.(url|filename|dirname)\b)/.test(code))) return false;
    const inputDir = dirname(path);
    for (const imported of input.imports) {
      if (!imported.external) continue;
      const specifier = imported.path;
      if (isBuiltin(specifier) || specifier.startsWith('file:') || isAbsolute(specifier)) continue;
      // a package: it must resolve from the cache as it does from here
      if (specifier.startsWith('#') || specifier.startsWith('.') || nodeModules === undefined) return false;
      if (nearestNodeModules(inputDir) !== nodeModules) return false;
      if (!scopes.has(inputDir)) scopes.set(inputDir, scopeName(inputDir));
      if (scopes.get(inputDir) === packageName(specifier)) return false;
    }
  }
  return true;
}

/**
 * The conditions the workers resolve with besides Node's own: `--conditions`/`-C` of this
 * process's options (which the workers keep) and of NODE_OPTIONS (which they inherit).
 */
function userConditions(): string[] {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const conditions: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const given = /^(?:--conditions|-C)=(.*)$/.exec(args[i]!);
    if (given !== null) conditions.push(given[1]!);
    else if ((args[i] === '--conditions' || args[i] === '-C') && i + 1 < args.length) conditions.push(args[++i]!);
  }
  return conditions;
}

/** A file of tsx's (its preloads, as `process.execArgv` names them under tsx). */
const TSX_FILE = /[\\/]tsx[\\/]dist[\\/][^\\/]+\.[cm]js$/;

/** tsx's preload options (`tsx` itself, `--import tsx`, `--require tsx/cjs`): the flag and its value. */
const TSX_PRELOAD = /^(tsx(\/(esm|cjs))?|.*[\\/]tsx[\\/]dist[\\/](preflight\.cjs|loader\.mjs|esm[\\/]index\.mjs|cjs[\\/]index\.cjs))$/;
const PRELOAD_FLAGS = new Set(['--require', '-r', '--import', '--loader', '--experimental-loader']);

/**
 * The options of this process for a worker that loads a compiled module: without tsx's preloads,
 * which a worker inherits under tsx (0.15-0.3 s a worker on Node 20, where they only install its
 * CommonJS hooks; on newer Node they register all of tsx again) and which it does not need.
 * Undefined when there are none, or a worker would refuse the rest: the worker inherits the
 * options as usual.
 */
export function compiledWorkerExecArgv(): string[] | undefined {
  const argv = process.execArgv;
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    if (eq !== -1 && PRELOAD_FLAGS.has(arg.slice(0, eq)) && TSX_PRELOAD.test(arg.slice(eq + 1))) continue;
    if (PRELOAD_FLAGS.has(arg) && i + 1 < argv.length && TSX_PRELOAD.test(argv[i + 1]!)) {
      i++;
      continue;
    }
    kept.push(arg);
  }
  if (kept.length === argv.length) return undefined;
  // a worker given its options refuses the per-process and V8 ones (--max-old-space-size), which
  // one that inherits them ignores: with those it inherits them all, tsx's preloads too
  return workerTakes(kept) ? kept : undefined;
}

const taken = new Map<string, boolean>();

/**
 * Whether Node starts a worker given `execArgv`. It checks them when the Worker is made, before
 * it clones `workerData`, which a function fails: so this starts no thread.
 */
function workerTakes(execArgv: string[]): boolean {
  const key = JSON.stringify(execArgv);
  let takes = taken.get(key);
  if (takes === undefined) {
    try {
      void new Worker('', { eval: true, execArgv, workerData: workerTakes });
      takes = true;
    } catch (error) {
      takes = (error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV';
    }
    taken.set(key, takes);
  }
  return takes;
}
