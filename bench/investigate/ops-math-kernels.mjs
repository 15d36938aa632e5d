/**
 * The WebAssembly SIMD math kernels alone, without the block copies of src/ops/kernels/math-simd.ts:
 * each function over one 512-element block of its module's memory (in L1), again and again, in
 * wall ns per element, fastest of many short rounds (on a shared machine a short round often runs
 * undisturbed), the median in brackets. Each module is compiled from a generator script, so two
 * versions compare side by side in one process:
 *
 *   node bench/investigate/ops-math-kernels.mjs [generator.mjs ...]
 *
 * (default: scripts/math-wasm.mjs; e.g. `git show main:scripts/math-wasm.mjs > scripts/old.mjs`
 * first, to compare with main). The data is the ops bench's (values in [-0.5, 0.5]; log reads
 * them plus 1); exp's table is left zero, which costs the same.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

const N = 512, REPS = 300, ROUNDS = 300;
const scripts = process.argv.length > 2 ? process.argv.slice(2) : [fileURLToPath(new URL('../../scripts/math-wasm.mjs', import.meta.url))];
const modules = [];
for (const script of scripts) {
  const { compile } = await import(pathToFileURL(script).href);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(await compile()), { env: { memory } });
  modules.push({ script, exports, heap: new Float64Array(memory.buffer, 4096, N) });
}
const now = () => Number(process.hrtime.bigint());
const times = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const name of ['exp', 'sin', 'cos', 'log']) {
    for (const { script, exports, heap } of modules) {
      const fill = () => { for (let i = 0; i < N; i++) heap[i] = ((i * 7919) % 1000) / 997 - 0.5 + (name === 'log' ? 1 : 0); };
      const kernel = exports[name];
      const start = now();
      // the kernels work in place: refill now and then so that the values stay in range
      for (let k = 0; k < REPS; k++) { if (k % 64 === 0) fill(); kernel(4096, N); }
      const key = `${name}  ${script}`;
      times[key] = [...(times[key] ?? []), (now() - start) / (REPS * N)];
    }
  }
}
console.log(`kernel alone, ns per element, one thread, fastest of ${ROUNDS} rounds (median)`);
for (const [key, t] of Object.entries(times)) {
  t.sort((a, b) => a - b);
  console.log(`  ${key}  ${t[0].toFixed(3)} (${t[t.length >> 1].toFixed(3)})`);
}
