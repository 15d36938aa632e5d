import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/errors.js';
import { resolveModule } from '../../src/worker-module/resolve.js';
import { thrown } from '../support/assert.js';

const dir = mkdtempSync(join(tmpdir(), 'resolve-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveModule', () => {
  it("a .js specifier whose file is absent resolves to its .ts sibling (TypeScript's rule), .mjs to .mts, .cjs to .cts", () => {
    for (const [js, ts] of [['a.worker.js', 'a.worker.ts'], ['b.mjs', 'b.mts'], ['c.cjs', 'c.cts']] as const) {
      writeFileSync(join(dir, ts), 'export {};\n');
      expect(resolveModule(pathToFileURL(join(dir, js)), 'Pool', 'workerModule').href).toBe(pathToFileURL(join(dir, ts)).href);
    }
  });

  it('an existing .js file wins over its .ts sibling', () => {
    writeFileSync(join(dir, 'both.js'), 'export {};\n');
    writeFileSync(join(dir, 'both.ts'), 'export {};\n');
    expect(resolveModule(join(dir, 'both.js'), 'Pool', 'workerModule').href).toBe(pathToFileURL(join(dir, 'both.js')).href);
  });

  it('neither file: the error names both', () => {
    const error = thrown(() => resolveModule(join(dir, 'none.js'), 'Process', 'options.module'));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe(`Process: invalid argument 'options.module': no such file: ${join(dir, 'none.js')} (nor ${join(dir, 'none.ts')})`);
    expect(thrown(() => resolveModule(join(dir, 'none.ts'), 'Pool', 'workerModule')).message).toBe(`Pool: invalid argument 'workerModule': no such file: ${join(dir, 'none.ts')}`);
  });
});
