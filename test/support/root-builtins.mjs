// Run by test/deferred-root.thread.test.ts in a fresh process: which of Node's built-in modules
// an import of the compiled package root loads (scripts/bundle.mjs loads each on first use), and
// that they load once the code needs them. Prints one JSON line.
const before = new Set(process.moduleLoadList);
const root = await import('shared-ndarray');
const loaded = () => process.moduleLoadList.filter((m) => !before.has(m) && /^NativeModule [a-z_]+(\/[a-z_]+)?$/.test(m)).map((m) => m.slice('NativeModule '.length));
const atImport = loaded();
const pool = new root.Pool(new URL('./pool-basic.mjs', import.meta.url), { size: 1 });
const sum = await pool.apply('add', 1, 2);
await pool.terminate();
console.log(JSON.stringify({ atImport, afterPool: loaded(), sum }));
