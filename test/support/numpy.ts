/** The live numpy checks: Debian's python3 with numpy (not a pyenv python3 on PATH). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, inject } from 'vitest';
import { PYTHON } from './numpy-setup.js';

export { PYTHON };

const exec = promisify(execFile);

/** Asked once per run, by the global setup numpy-setup.ts. */
export const hasNumpy: boolean = inject('hasNumpy');

/**
 * `describe` for tests that run numpy. CI installs it (.ci/run), so there a missing numpy fails;
 * elsewhere these are skipped, with the reason in the name.
 */
export function describeNumpy(name: string, tests: () => void): void {
  const run = hasNumpy || process.env.CI ? describe : describe.skip;
  run(`${name} (${PYTHON}${hasNumpy ? '' : ': numpy not installed, apt-get install python3-numpy'})`, tests);
}

/** What the Python program `code` prints, run in `cwd` with `args` as sys.argv[1:]. */
export async function python(code: string, cwd: string, args: readonly string[] = []): Promise<string> {
  return (await exec(PYTHON, ['-c', code, ...args], { cwd })).stdout;
}
