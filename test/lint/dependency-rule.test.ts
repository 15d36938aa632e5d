import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm run lint` finding no violation in src/ proves nothing if a rule no longer matches (a
 * renamed folder, a resolver that stopped mapping `.js` to `.ts`): the fixture tree breaks every
 * rule once, and shows the allowed cases next to the forbidden ones, so each must report exactly
 * what it reports here.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'lint', 'fixture');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function cruiseFixture(): Promise<Array<[string, string, string]>> {
  const args = [DEPCRUISE, 'src', '--config', join(ROOT, '.dependency-cruiser.mjs'), '--output-type', 'json'];
  // the exit code is the number of errors: the report is what is checked
  const stdout = await promisify(execFile)(process.execPath, args, { cwd: FIXTURE, maxBuffer: 16 << 20 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '',
  );
  const { summary } = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return summary.violations.map((v): [string, string, string] => [v.rule.name, v.from, v.to.replace(/^.*node_modules\//, 'node_modules/')]).sort();
}

describe('the dependency rule (.dependency-cruiser.mjs)', () => {
  it('reports every forbidden import of the fixture tree and nothing it allows', async () => {
    expect(await cruiseFixture()).toEqual(
      [
        ['layer-sibling-pool', 'src/pool/pool.ts', 'src/process/process.ts'],
        ['layer-sibling-sieve', 'src/sieve/stdlib-user.ts', 'src/io/io-user.ts'],
        ['layer-unknown', 'src/newfolder/unlisted.ts', 'src/errors.ts'],
        ['layer-upward-ndarray', 'src/ndarray/from-stdlib.ts', 'src/transport/cycle-a.ts'],
        ['layer-upward-sync', 'src/sync/lock.ts', 'src/process/process.ts'],
        ['layer-upward-sync', 'src/sync/lock.ts', 'src/register-kinds.ts'],
        ['layer-upward-sync-entry', 'src/sync/index.ts', 'src/sharedctypes/value.ts'],
        ['no-circular', 'src/transport/cycle-a.ts', 'src/transport/cycle-b.ts'],
        ['no-entry-import', 'src/cli/main.ts', 'src/sync/index.ts'],
        ['not-to-unresolvable', 'src/io/io-user.ts', './missing.js'],
        ['src-stands-alone', 'src/check.ts', 'bench/helper.ts'],
        ['stdlib-lazy', 'src/ndarray/stdlib.ts', 'node_modules/@stdlib/ndarray/ctor/lib/index.js'],
        ['stdlib-lazy', 'src/sieve/stdlib-user.ts', 'node_modules/@stdlib/ndarray/ctor/lib/index.js'],
        ['stdlib-only-in-interop', 'src/sieve/stdlib-user.ts', 'node_modules/@stdlib/ndarray/ctor/lib/index.js'],
      ].sort(),
    );
  });
});
