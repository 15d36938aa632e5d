/** The live numpy checks: Debian's python3 with numpy (not a pyenv python3 on PATH). */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe } from 'vitest';

export const PYTHON = '/usr/bin/python3';

const exec = promisify(execFile);

export const hasNumpy: boolean = existsSync(PYTHON) && await exec(PYTHON, ['-c', 'import numpy']).then(() => true, () => false);

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
