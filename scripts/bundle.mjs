// Bundles src/ into dist/: every file a user, a worker or a child process loads by name (the
// package's entry points, the worker bootstraps, the command) becomes one module, and the code
// they share goes to dist/chunks/ once, so each class still exists once per thread. tsc writes only
// the declarations (tsconfig.build.json). Why: an import of ~100 small modules costs Node about
// 2 ms of CPU each (resolve, read, compile), 3-4x an import of piscina; see docs/performance.md.
//
// `import.meta.url` in a source file stays the URL its unbundled output had (dist/<path>.js), so
// the paths resolved from it (../../ to the package, ./worker-entry.js beside it) stay right.
import { build } from 'esbuild';
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Loaded by name from outside the bundle: the exports map, worker/child bootstraps, the bin. */
export const ENTRIES = [
  'index', 'worker', 'pool/index', 'sync/index', 'sharedctypes/index', 'process/index', 'io/index', 'manager/index', 'sieve/index',
  'ops/index', 'cluster/index', 'pool/worker-entry', 'process/process-entry', 'sieve/sieve.worker', 'ops/ops.worker', 'manager/server', 'cli/main',
  // probed alone by the installed-package tests of the addon (test/io/native.e2e.test.ts)
  'io/native',
  // loaded by require() from deferred-kinds.ts when a value of their kinds first arrives in a worker
  'transport/ndarray-kind', 'register-kinds', 'manager/kind', 'io/kinds',
];

/**
 * Source modules that the root and the pool reach only inside functions few programs call: a
 * TypeScript worker module's compile, a `.npy` header's Python literal, a Manager's Redis
 * options. In the bundle an import of one becomes a getter per imported name that `require()`s
 * the module's own entry on the first read (as Node's built-ins below), so an import of the root
 * compiles ~30 KB less; from source (tests, tsx) they are imported as written. Each is also an
 * entry, loaded by path. Only named imports of them are understood, and no index may re-export one.
 */
const LAZY_MODULES = ['worker-module/compile-ts', 'io/npy-descr', 'io/python-literal', 'manager/redis-options'];
ENTRIES.push(...LAZY_MODULES);

/** Entries loaded by a worker thread; the rest run in the thread that imports the package. */
const WORKER_SIDE = new Set(['worker', 'pool/worker-entry', 'process/process-entry', 'sieve/sieve.worker', 'ops/ops.worker', 'manager/server', 'transport/ndarray-kind', 'register-kinds', 'manager/kind', 'io/kinds']);
/**
 * What every worker loads: a bootstrap's own needs (the call protocol, loading a module), and the
 * transport with kinds named, not loaded. Not the pool's side of a worker (pool/worker-thread),
 * nor liveness, which a worker loads with the first kind that records owners (sync/liveness.ts,
 * adoptGiven).
 */
const WORKER_CORE = ['worker', 'deferred-kinds', 'transport/transport', 'worker-module/protocol', 'worker-module/load', 'worker-module/resolve',
  // the shim of node:worker_threads (builtins, below), which the bootstraps and the main side use
  // and `shared-ndarray/worker` does not: a 512-byte chunk of its own otherwise
  'node:worker_threads',
  // the spin waits' back-off, which a pool worker, the pool and the Manager's thread use: a
  // 735-byte chunk of its own otherwise, one more file for every worker to load
  'sync/spin'];
/**
 * The kinds a worker loads when a value of one first arrives (deferred-kinds.ts): arrays, and the
 * rest (sync/, sharedctypes/, the Manager's proxies), which the Manager's thread uses too.
 */
const NDARRAY = ['transport/ndarray-kind',
  // what the other kinds and an operation's blocks (ops.worker) record owners in: with the arrays,
  // not in a chunk of its own (a sixth file in the root's import)
  'sync/liveness'];
const KINDS = [...NDARRAY, 'register-kinds', 'manager/kind',
  // 1 KB that the main side and the Redis store share: a chunk of its own otherwise
  'redis/url'];
const KINDS_SIDE = new Set([...KINDS, 'manager/server']);
/** The built-in worker modules work on arrays: they load them with the kind. */
const ARRAYS_SIDE = new Set([...NDARRAY, 'ops/ops.worker', 'sieve/sieve.worker']);
const MAIN_CORE = [...WORKER_CORE, ...KINDS, 'index'];
/**
 * Modules the code loads with import(): esbuild makes each an entry too, and one that reaches only
 * part of a core splits it in two. Each imports the core of the threads that load it.
 */
const LAZY = new Map([
  ['manager/redis-store', [...WORKER_CORE, ...KINDS]],
  ['manager/redis-direct', MAIN_CORE],
  ['cluster/daemon', MAIN_CORE],
  ['cluster/status', MAIN_CORE],
]);

/**
 * esbuild puts code in a chunk per set of entries that reach it: 15 entries made ~30 chunks, and
 * an import of the package loaded 41 modules. So each entry also imports its side's core, and
 * that code lands in four chunks: what every thread runs, arrays, the other shared kinds, and
 * what the main side adds.
 */
function groupImports(path) {
  const entry = relative(src, path).replaceAll('\\', '/').replace(/\.ts$/, '');
  if (!ENTRIES.includes(entry) && !LAZY.has(entry)) return '';
  const core = LAZY.get(entry) ?? (!WORKER_SIDE.has(entry) ? MAIN_CORE
    : ARRAYS_SIDE.has(entry) ? [...WORKER_CORE, ...NDARRAY]
    : KINDS_SIDE.has(entry) ? [...WORKER_CORE, ...KINDS] : WORKER_CORE);
  return core.filter((c) => c !== entry).map((c) => `\nimport ${JSON.stringify(c.startsWith('node:') ? c : join(src, `${c}.ts`))};`).join('');
}

/**
 * Each source file that reads `import.meta.url` gets a const of the URL its unbundled output would
 * have (the dist/ root is found from whichever output file the code lands in; none is under a dist/
 * of its own), and `define` points every `import.meta.url` in code (not in strings) at it. It goes
 * on the first line after a hashbang, so line numbers and source maps stay as they were.
 */
const URL_CONST = '__sharedNdarrayModuleUrl';

/**
 * Subpaths the package root re-exports but loads on first use: an import of the root compiles
 * only the core (ndarray, transport, sync, sharedctypes, pool, io, process, manager) and not the
 * ~200 KB these add (docs/performance.md, the startup suite). In the bundle, src/index.ts's
 * `export * from './<folder>/index.js'` becomes a function per export that `require()`s the
 * subpath's own entry on first call (Node >= 20.19 loads an ES module synchronously, as the same
 * instance `import` gives), numeric constants by value, and SharedNDArray methods that the folder
 * installs (`a.sum()`) as methods that load it and call the real one. From source (tests, tsx)
 * the root imports them as written. The export list comes from a first build of the same sources.
 */
const DEFERRED = ['ops', 'sieve'];
let facades;

/**
 * Where a deferred subpath's code goes: its entry, dist/<folder>/index.js, becomes a wrapper that
 * require()s this file and re-exports its names. Node 20 cannot require() a module that an
 * import() is still loading (an internal assertion fails; 22 and 24 wait for it), so were the
 * root's loaders to require() the entry itself, a call of `sum` while an `import('shared-ndarray/
 * ops')` is in flight would throw. The wrapper imports nothing statically: an import() of it
 * never leaves this file half loaded, and both ways reach one instance.
 */
const DEFERRED_BODY = 'exports.js';

/** The wrapper's text: the body require()d, each of its names (`var` too) re-exported. */
function deferredEntry({ exports }) {
  return [
    `// the code is in ./${DEFERRED_BODY}, which the root's loaders require() too (scripts/bundle.mjs)`,
    "import { createRequire } from 'node:module';",
    `const m = createRequire(import.meta.url)('./${DEFERRED_BODY}');`,
    ...exports.map((e, i) => `const x${i} = m[${JSON.stringify(e.name)}];`),
    `export { ${exports.map((e, i) => `x${i} as ${e.name}`).join(', ')} };`,
    '',
  ].join('\n');
}

/**
 * Each deferred subpath's exports (a function, or a number inlined) and the methods it installs,
 * loaded with require() as the root will load them: a top-level await anywhere in a subpath's
 * modules fails the build here rather than a user's first call.
 */
function probeDeferred() {
  const dist = join(root, 'dist');
  const require = createRequire(join(dist, 'index.js'));
  const out = {};
  for (const folder of DEFERRED) {
    const m = require(`./${folder}/index.js`);
    const proto = require('./index.js').SharedNDArray.prototype;
    const exports = Object.keys(m).map((name) => {
      const value = m[name];
      if (typeof value === 'function' && !/^class\b/.test(Function.prototype.toString.call(value))) return { name, fn: true };
      if (typeof value === 'number') return { name, value };
      throw new Error(`bundle: ${folder}/index.ts exports ${name}, which is neither a function nor a number, so the root cannot defer it`);
    });
    const methods = exports.filter((e) => e.fn && typeof proto[e.name] === 'function').map((e) => e.name);
    out[folder] = { exports, methods };
  }
  return out;
}

/** What replaces `export * from './<folder>/index.js'` in src/index.ts (types still come from tsc). */
function facade(folder, { exports, methods }) {
  const load = `__load_${folder}`;
  const lines = [
    `let __${folder}; const ${load} = () => (__${folder} ??= __require('./${folder}/${DEFERRED_BODY}'));`,
    // a local name per export, since some exports (`var`) are reserved words
    ...exports.map((e) => `const __${folder}_${e.name} = ${e.fn ? `__defer(${load}, ${JSON.stringify(e.name)})` : JSON.stringify(e.value)};`),
    `export { ${exports.map((e) => `__${folder}_${e.name} as ${e.name}`).join(', ')} };`,
  ];
  if (methods.length > 0) lines.push(`__deferMethods(${load}, ${JSON.stringify(methods)});`);
  return lines.join('\n');
}

const FACADE_HEAD = `
import { createRequire as __createRequire } from 'node:module';
import { SharedNDArray as __SharedNDArray } from './ndarray/ndarray.js';
// made on the first deferred call: node:module and the source-map support it loads are not
// otherwise loaded by an import of the root
let __requireFn;
const __require = (id) => (__requireFn ??= __createRequire(import.meta.url))(id);
function __defer(load, name) {
  const f = { [name](...args) { return load()[name].apply(this, args); } }[name];
  return f;
}
// Installed only where the method is missing: when the folder is already loaded, its own stay.
function __deferMethods(load, names) {
  const proto = __SharedNDArray.prototype;
  for (const name of names) {
    if (Object.hasOwn(proto, name)) continue;
    const stub = { [name](...args) {
      load();
      const real = proto[name];
      if (real === stub) throw new Error(\`shared-ndarray: loading the module of SharedNDArray.prototype.\${name} did not install it\`);
      return real.apply(this, args);
    } }[name];
    Object.defineProperty(proto, name, { value: stub, writable: true, configurable: true });
  }
}
`;

/** src/index.ts with each deferred subpath's re-export replaced by its facade. */
function deferInRoot(text) {
  let out = text;
  for (const folder of DEFERRED) {
    const line = `export * from './${folder}/index.js';`;
    if (!out.includes(line)) throw new Error(`bundle: src/index.ts has no line ${line}`);
    out = out.replace(line, facade(folder, facades[folder]));
  }
  return out + FACADE_HEAD;
}
const moduleUrl = {
  name: 'module-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      let text = await readFile(path, 'utf8');
      if (facades !== undefined && path === join(src, 'index.ts')) text = deferInRoot(text);
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

/**
 * Node's built-in modules reach the bundle through `process.getBuiltinModule()` (Node >= 20.16),
 * as CommonJS, and each loads on the first read of one of its exports, not at import. Node makes
 * an ES module of a built-in by reading every one of its exports once (`node:fs`'s include the
 * ReadStream getters, which load node:stream), and `node:worker_threads` alone costs ~5.5 ms of
 * CPU to load, which the package root needs only once a pool starts. Named imports become
 * property reads at the place of use (esbuild's CommonJS interop), so a getter runs where the code
 * reads it. Each shim has only the names the sources import: esbuild copies a CommonJS module's
 * every export once per file importing it, ~2.4 ms for all of those built-ins' ~300 names.
 */
const BUILTIN_IMPORT = /\bimport\s+(type\s+)?([^;]*?)\s+from\s+'(node:[^']+)'/g;

/** The names each built-in is imported by in `texts`; only `import { a, b as c } from 'node:x'` is understood. */
function builtinNames(texts) {
  const names = new Map();
  for (const [where, text] of texts) {
    for (const [, typeOnly, clause, id] of text.matchAll(BUILTIN_IMPORT)) {
      if (typeOnly) continue;
      if (!/^\{[^}]*\}$/.test(clause)) throw new Error(`bundle: ${where} imports ${id} as ${clause}; only named imports of a built-in are supported (scripts/bundle.mjs, builtins)`);
      const set = names.get(id) ?? new Set();
      for (const part of clause.slice(1, -1).split(',').map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('type '))) set.add(part.split(/\s+as\s+/)[0]);
      names.set(id, set);
    }
  }
  return names;
}

/** `import { a, b as c } from './x.js'`: the names each of LAZY_MODULES is imported by in `texts`. */
const RELATIVE_IMPORT = /\bimport\s+(type\s+)?([^;]*?)\s+from\s+'(\.\.?\/[^']+)'/g;
function lazyNames(texts) {
  const names = new Map(LAZY_MODULES.map((m) => [m, new Set()]));
  for (const [where, text] of texts) {
    for (const [, typeOnly, clause, spec] of text.matchAll(RELATIVE_IMPORT)) {
      const target = relative(src, join(src, where, '..', spec)).replaceAll('\\', '/').replace(/\.js$/, '');
      if (typeOnly || !names.has(target)) continue;
      if (!/^\{[^}]*\}$/.test(clause)) throw new Error(`bundle: src/${where} imports ${spec} as ${clause}; only named imports of a module in LAZY_MODULES are supported`);
      for (const part of clause.slice(1, -1).split(',').map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('type '))) names.get(target).add(part.split(/\s+as\s+/)[0]);
    }
  }
  return names;
}

/** Every source file's path under src/ and its text: read once for both builds and both plugins that scan them. */
let sources;
function sourceTexts() {
  sources ??= readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(join(src, f), 'utf8')]);
  return sources;
}

/** What a lazy module's shim require()s it through: a require() anchored at dist/, made on first use. */
const LAZY_ANCHOR = [
  "import { createRequire } from 'node:module';",
  'let r;',
  // import.meta itself, not its url (which `define` rewrites): whichever dist/ file this lands in
  "export const requireDist = (id) => (r ??= createRequire(((m) => m.url.slice(0, m.url.lastIndexOf('/dist/') + 6))(import.meta)))(id);",
].join('\n');

const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    let names;
    b.onStart(() => {
      names = lazyNames(sourceTexts().map(([f, text]) => [f.replaceAll('\\', '/'), text]));
    });
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, ({ path, importer, kind }) => {
      if (kind !== 'import-statement' || importer === '') return undefined;
      const target = relative(src, join(importer, '..', path)).replaceAll('\\', '/').replace(/\.js$/, '');
      return LAZY_MODULES.includes(target) ? { path: target, namespace: 'lazy-module' } : undefined;
    });
    b.onResolve({ filter: /^lazy-anchor$/ }, () => ({ path: 'anchor', namespace: 'lazy-anchor' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-anchor' }, () => ({ contents: LAZY_ANCHOR, loader: 'js', resolveDir: src }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-module' }, ({ path }) => {
      const contents = [
        `let m; const load = () => (m ??= require('lazy-anchor').requireDist(${JSON.stringify(`./${path}.js`)}));`,
        'const lazy = {};',
        `for (const name of ${JSON.stringify([...names.get(path)])}) Object.defineProperty(lazy, name, { get: () => load()[name], enumerable: true });`,
        'module.exports = lazy;',
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

const builtins = {
  name: 'builtins',
  setup(b) {
    let names;
    b.onStart(() => {
      names = builtinNames([...sourceTexts().map(([f, text]) => [`src/${f}`, text]), ['the root facade', FACADE_HEAD]]);
    });
    b.onResolve({ filter: /^node:/ }, ({ path, kind }) => (kind === 'import-statement' ? { path, namespace: 'builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => {
      const contents = [
        `let m; const load = () => (m ??= process.getBuiltinModule(${JSON.stringify(path)}));`,
        'const lazy = {};',
        `for (const name of ${JSON.stringify([...(names.get(path) ?? [])])}) Object.defineProperty(lazy, name, { get: () => load()[name], enumerable: true });`,
        'module.exports = lazy;',
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

const options = {
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
  // V8 pre-parses every byte an import loads (the root's ~380 KB were ~60% of its instructions);
  // without the indentation and comments, the root's chunks are ~250 KB. Not minifySyntax: it
  // inlines a `const f = () => ...` used once, and the function loses its name. Identifiers are not
  // minified: classes keep their names (`constructor.name`, error names, show()) as written,
  // without esbuild's keepNames, whose `__name()` is an Object.defineProperty per function and
  // class at import (~7% of the root's instructions) and per named arrow made at run time.
  // checkClassNames() below puts back a class's name where esbuild changed it.
  minifyWhitespace: true,
  logLevel: 'warning',
  metafile: true,
  define: { 'import.meta.url': URL_CONST },
  plugins: [lazyModules, moduleUrl, builtins],
};
// first the root as written, to learn what the deferred subpaths export; then the root that defers them
await build(options);
facades = probeDeferred();
const { metafile } = await build(options);

// esbuild escapes non-ASCII characters in strings and names (charset: 'ascii') but not in comments
// or regular expressions: one `×` in a comment makes Node decode the file on UTF-8's slow path and
// V8 keep it as a two-byte string, about 15% more CPU to compile an import. A `\uXXXX` escape means
// the same character in a regular expression (with or without the u flag) and reads as one in a
// comment; only columns after it on that line move in the source map.
for (const file of Object.keys(metafile.outputs).filter((f) => f.endsWith('.js'))) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the class is everything outside ASCII
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(path, ascii);
}

// JavaScript left from an earlier build (an old chunk, tsc's per-file output) must not linger in
// dist/ or in the packed tarball; dist/bench/ is the bench's own build.
// each deferred subpath's code moves to its body, and its entry becomes the wrapper
for (const folder of DEFERRED) {
  const dir = join(root, 'dist', folder);
  const body = readFileSync(join(dir, 'index.js'), 'utf8').replace(/\/\/# sourceMappingURL=index\.js\.map\s*$/, `//# sourceMappingURL=${DEFERRED_BODY}.map\n`);
  writeFileSync(join(dir, DEFERRED_BODY), body);
  renameSync(join(dir, 'index.js.map'), join(dir, `${DEFERRED_BODY}.map`));
  writeFileSync(join(dir, 'index.js'), deferredEntry(facades[folder]));
  metafile.outputs[`dist/${folder}/${DEFERRED_BODY}`] = {};
  metafile.outputs[`dist/${folder}/${DEFERRED_BODY}.map`] = {};
}

/**
 * A class must reach the bundle under its own name (no keepNames above). esbuild writes a
 * top-level class whose body names itself (`new Lock(...)` in a static method) as
 * `var Lock = class _Lock {...}`, whose `name` is '_Lock': the inner name becomes the class's own
 * again, with its uses (only the class body can see it, and no source file spells it), the `_`
 * made a space so that source-map columns stay. Then every
 * class name in the output must be one written in src/: one that esbuild renamed on a clash with
 * another module's top-level name (`Lock2`) fails the build.
 */
function checkClassNames(files) {
  const texts = sourceTexts().map(([, text]) => text);
  const written = new Set(texts.flatMap((text) => [...text.matchAll(/\bclass\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1])));
  for (const file of files) {
    const path = join(root, file);
    let text = readFileSync(path, 'utf8');
    for (const [, outer, inner] of [...text.matchAll(/\b([A-Za-z_$][\w$]*)=class (_[\w$]+)(?![\w$])/g)]) {
      if (inner !== `_${outer}` || !written.has(outer) || texts.some((t) => new RegExp(`\\b${inner.replace('$', '\\$')}\\b`).test(t))) continue;
      text = text.replace(new RegExp(`(?<![\\w$.])${inner.replace('$', '\\$')}(?![\\w$])`, 'g'), ` ${outer}`);
    }
    writeFileSync(path, text);
    for (const pattern of [/\bclass\s+([A-Za-z_$][\w$]*)/g, /([A-Za-z_$][\w$]*)\s*=\s*class\b/g]) {
      for (const [, name] of text.matchAll(pattern)) {
        if (name !== 'extends' && !written.has(name)) throw new Error(`bundle: ${file} has a class named ${name}, not a name in src/: esbuild renamed it on a clash with another module's top-level name; rename one of them`);
      }
    }
  }
}
checkClassNames(Object.keys(metafile.outputs).filter((f) => f.endsWith('.js')));

const outputs = new Set(Object.keys(metafile.outputs).map((f) => join(root, f)));
const dist = join(root, 'dist');
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  const file = join(entry.parentPath, entry.name);
  if (entry.isFile() && /\.js(\.map)?$/.test(entry.name) && !outputs.has(file) && !file.startsWith(join(dist, 'bench'))) rmSync(file);
}
