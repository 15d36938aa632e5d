// Run by test/deferred-root.thread.test.ts in a fresh process, one process for three of its
// tests: what an import of the compiled package root loads, then what a pool and a .npy round
// trip load, then the name of every exported class. Prints one JSON line.
//
// 1. Node's built-in modules (scripts/bundle.mjs loads each on first use): none that a pool
//    needs at import, worker_threads once a pool ran. No built-in is imported statically here,
//    so that each one the root loads shows in the difference.
// 2. The modules of scripts/bundle.mjs's LAZY_MODULES: unloaded until a function needs one, then
//    loaded by require(), so they show in require.cache.
// 3. The exported classes, each with the name it has (the bundle keeps them without esbuild's
//    keepNames: scripts/bundle.mjs, checkClassNames): last, since importing every subpath loads
//    what the checks above must find unloaded.
const before = new Set(process.moduleLoadList);
const root = await import('shared-ndarray');
const builtins = () => process.moduleLoadList.filter((m) => !before.has(m) && /^NativeModule [a-z_]+(\/[a-z_]+)?$/.test(m)).map((m) => m.slice('NativeModule '.length));
const builtinsAtImport = builtins();

const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const lazy = () =>
  Object.keys(require.cache)
    .map((k) => k.replaceAll('\\', '/'))
    .filter((k) => /\/dist\/(io\/(npy-descr|python-literal)|worker-module\/compile-ts|manager\/redis-options)\.js$/.test(k))
    .map((k) => k.slice(k.lastIndexOf('/dist/') + 6))
    .sort();
const lazyAtImport = lazy();

const pool = new root.Pool(new URL('./pool-basic.mjs', import.meta.url), { size: 1 });
const sum = await pool.apply('add', 1, 2);
await pool.terminate();
const builtinsAfterPool = builtins();
const lazyAfterJsPool = lazy();

const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const dir = mkdtempSync(join(tmpdir(), 'root-lazy-'));
let afterNpy, shape;
try {
  const file = join(dir, 'a.npy');
  await root.save(file, root.arange(6).reshape([2, 3]));
  shape = (await root.load(file)).shape;
  afterNpy = lazy();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const SUBPATHS = ['', '/worker', '/pool', '/sync', '/sharedctypes', '/process', '/io', '/manager', '/sieve', '/ops', '/cluster'];
const isClass = (v) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
let classes = 0;
const misnamed = [];
for (const sub of SUBPATHS) {
  for (const [name, value] of Object.entries(await import(`shared-ndarray${sub}`))) {
    if (!isClass(value)) continue;
    classes++;
    if (value.name !== name) misnamed.push(`shared-ndarray${sub} ${name}: ${value.name}`);
  }
}
// esbuild writes a class whose body names itself as `Lock = class _Lock`: its instances print as Lock
const { Lock } = await import('shared-ndarray/sync');

console.log(
  JSON.stringify({
    builtins: { atImport: builtinsAtImport, afterPool: builtinsAfterPool, sum },
    lazy: { atImport: lazyAtImport, afterJsPool: lazyAfterJsPool, afterNpy, sum, shape },
    names: { classes, misnamed, lock: new Lock().constructor.name },
  }),
);
