/**
 * The WebAssembly kernels in src/ (the sieve's wheel, matmul's GEMM, the SIMD exp, log, sin and
 * cos) are what their generators write: scripts/wheel-wasm.mjs, matmul-wasm.mjs and math-wasm.mjs,
 * imported here and compared with the files, rather than each run with --check as a process of its
 * own (about 0.2 CPU s apiece). Moved from wheel.test.ts, kernels/matmul.test.ts and
 * kernels/math-simd.property.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

type Files = Array<[URL, string]>;
interface Generator { generated(): Promise<{ files: Files }> }
interface WasmFiles { staleFiles(files: Files): Files }

const scripts = new URL('../../scripts/', import.meta.url);
// imported by URL: the scripts are plain JavaScript, outside the TypeScript program
const load = async <T>(file: string): Promise<T> => (await import(new URL(file, scripts).href)) as T;

for (const name of ['wheel', 'matmul', 'math']) {
  it(`src/ holds what scripts/${name}-wasm.mjs writes`, async () => {
    const { staleFiles } = await load<WasmFiles>('wasm-files.mjs');
    const { files } = await (await load<Generator>(`${name}-wasm.mjs`)).generated();
    expect(files.length).toBe(2);
    expect(staleFiles(files).map(([url]) => fileURLToPath(url)), `stale: run node scripts/${name}-wasm.mjs`).toEqual([]);
  });
}
