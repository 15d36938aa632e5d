/**
 * What the WebAssembly generators (scripts/wheel-wasm.mjs, matmul-wasm.mjs, math-wasm.mjs) share:
 * each exports `generated()`, its files as [URL, text] pairs, and run as a command writes them, or
 * with --check only names the stale ones (exit code 1). test/lint/generated-wasm.test.ts checks
 * all three in its own process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The files of `files` ([URL, text] pairs) that are missing or hold another text. */
export function staleFiles(files) {
  return files.filter(([url, text]) => {
    try {
      return readFileSync(url, 'utf8') !== text;
    } catch {
      return true;
    }
  });
}

/** Writes `files`, or with --check names the stale ones and exits 1 if there are any. */
export function writeOrCheck(script, files) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles(files);
    for (const [url] of stale) console.error(`stale: ${fileURLToPath(url)} (run node ${script})`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const [url, text] of files) writeFileSync(url, text);
}
