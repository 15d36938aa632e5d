// Run by test/deferred-root.thread.test.ts in a fresh process: the compiled package root leaves
// the modules of scripts/bundle.mjs's LAZY_MODULES unloaded until a function needs one, and then
// loads it (by require(), so it shows in require.cache).
// Prints one JSON line.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const lazy = () =>
  Object.keys(require.cache)
    .map((k) => k.replaceAll('\\', '/'))
    .filter((k) => /\/dist\/(io\/(npy-descr|python-literal)|worker-module\/compile-ts|manager\/redis-options)\.js$/.test(k))
    .map((k) => k.slice(k.lastIndexOf('/dist/') + 6))
    .sort();
const root = await import('shared-ndarray');
const atImport = lazy();
const pool = new root.Pool(new URL('./pool-basic.mjs', import.meta.url), { size: 1 });
const sum = await pool.apply('add', 1, 2);
await pool.terminate();
const afterJsPool = lazy();
const dir = mkdtempSync(join(tmpdir(), 'root-lazy-'));
try {
  const file = join(dir, 'a.npy');
  await root.save(file, root.arange(6).reshape([2, 3]));
  const back = await root.load(file);
  const afterNpy = lazy();
  console.log(JSON.stringify({ atImport, afterJsPool, afterNpy, sum, shape: back.shape }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
