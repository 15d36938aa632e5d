import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SharedNDArrayError } from '../errors.js';

/**
 * The URL of a compiled module of this package, given the URL of the calling module and a
 * `.js` path relative to it. Worker threads load files as they are, without the TypeScript
 * transform that vitest or tsx give the main thread; so when this package itself runs from
 * `src/` the worker files come from the matching place in `dist/` (which `npm run build` makes).
 *
 * @internal
 */
export function compiledModule(relative: string, from: string): URL {
  let url = new URL(relative, from);
  const marker = url.href.lastIndexOf('/src/');
  if (/\.[cm]?ts$/.test(from) && marker !== -1) {
    url = new URL(`${url.href.slice(0, marker)}/dist/${url.href.slice(marker + 5)}`);
  }
  if (!existsSync(fileURLToPath(url))) {
    throw new SharedNDArrayError(`shared-ndarray: the compiled worker file ${fileURLToPath(url)} is missing; run \`npm run build\` in the package`);
  }
  return url;
}

/**
 * Whether a worker module is TypeScript, which compile-ts.ts compiles for the workers. Checked
 * here, before calling it, so that a pool or Process of a JavaScript module never loads the
 * compiler's module (the bundle loads it on first use: scripts/bundle.mjs, LAZY_MODULES).
 *
 * @internal
 */
export function isTypeScriptModule(url: string): boolean {
  return /\.m?ts$/i.test(url);
}
