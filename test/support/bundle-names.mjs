// Run by test/deferred-root.thread.test.ts in a fresh process: the compiled package's exported
// classes, each with the name it has (the bundle keeps them without esbuild's keepNames:
// scripts/bundle.mjs, checkClassNames). Prints one JSON line: how many, and those misnamed.
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
console.log(JSON.stringify({ classes, misnamed, lock: new Lock().constructor.name }));
