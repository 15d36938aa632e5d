import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const tsx = (file: string, ...args: string[]) =>
  run(process.execPath, ['node_modules/tsx/dist/cli.mjs', file, ...args], { cwd: root, timeout: 50_000 });

describe('examples', () => {
  it('every example has a test here', () => {
    const examples = readdirSync(new URL('../examples', import.meta.url)).filter((f) => f.endsWith('.ts'));
    expect(examples.sort()).toEqual(['shared-numpy-array.ts']);
  });

  it('shared-numpy-array: each worker fills its own row of the shared matrix', async () => {
    const { stdout } = await tsx('examples/shared-numpy-array.ts', '3');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    const rows = lines.slice(0, 3).map((l) => l.replace(/[[\]]/g, '').split(' ').map(Number));
    for (const row of rows) {
      expect(row).toHaveLength(10);
      expect(new Set(row).size).toBe(1);
      expect(row[0]).toBeGreaterThan(0);
    }
    expect(new Set(rows.map((r) => r[0])).size).toBe(3);
    expect(lines[3]).toMatch(/^3 worker threads \(ids \d+, \d+, \d+\) filled their rows of one 240-byte SharedArrayBuffer in [\d.]+ ms, zero copies$/);
  }, 60_000);
});
