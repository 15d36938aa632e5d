import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** vitest globalSetup: compile src/ to dist/ so workers and the tarball test run current code. */
export default function build(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // a clean dist/: files of deleted sources must not linger in the packed tarball
  rmSync(new URL('../../dist', import.meta.url), { recursive: true, force: true });
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
