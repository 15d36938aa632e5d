import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/files.js';

/**
 * The native addon's install script (scripts/build-native.mjs) failing and succeeding, and the
 * compiled package without its addon, each in child processes. The API is in native.test.ts.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const support = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

const { path: dir } = scratchDir('shared-ndarray-native-');

describe('without the addon', () => {
  it('the package imports and works; the memory-map API throws NativeUnavailableError saying how to build it', async () => {
    for (const addon of [join(dir, 'missing', 'shared_ndarray_native.node'), (() => { const p = join(dir, 'broken.node'); writeFileSync(p, 'not a shared object'); return p; })()]) {
      const { stdout, stderr } = await run(process.execPath, [support('native-missing.mjs')], {
        env: { ...process.env, SHARED_NDARRAY_NATIVE_ADDON: addon }, timeout: 20_000,
      });
      expect(stderr).toBe('');
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out.sum).toBe(5);
      expect(out.available).toBe(false);
      for (const key of ['mmap', 'shm', 'anonymous']) {
        const e = out[key] as { name: string; isClass: boolean; message: string };
        expect(e.name).toBe('NativeUnavailableError');
        expect(e.isClass).toBe(true);
        expect(e.message).toContain(addon);
        expect(e.message).toContain(addon.endsWith('broken.node') ? 'does not load' : 'is not built');
        expect(e.message).toContain(`node ${join(ROOT, 'scripts', 'build-native.mjs')}`);
        expect(e.message).toContain('npm rebuild shared-ndarray');
      }
      expect((out.mmap as { message: string }).message).toMatch(/^mapAnonymous: memory maps need shared-ndarray's native addon/);
      expect((out.shm as { message: string }).message).toMatch(/^shmOpen: /);
    }
  }, 30_000);

  it('a failed build exits 0 with one warning and a recorded reason, which the error then quotes', async () => {
    // a copy of what an installed package holds, built with a compiler that always fails
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    for (const part of ['package.json', 'binding.gyp', 'scripts', 'dist', 'src/io/native']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    const failed = await run(process.execPath, ['scripts/build-native.mjs'], { cwd: pkg, env: { ...process.env, CXX: 'false' }, timeout: 60_000 });
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^shared-ndarray: WARNING: the optional memory-map addon \(MMap, SharedMemory, memmap\) was not built: node-gyp rebuild exited with \d+: /);
    expect(failed.stderr).toContain('To retry: `node scripts/build-native.mjs`');
    expect(failed.stderr.trim().split('\n')).toHaveLength(3);
    const log = join(pkg, 'build', 'native-build-failure.txt');
    expect(readFileSync(log, 'utf8')).toMatch(/^node-gyp rebuild exited with/);
    const probe = join(pkg, 'probe.mjs');
    writeFileSync(probe, "import { mapAnonymous } from './dist/io/native.js';\ntry { mapAnonymous(1); } catch (e) { console.log(e.name + ': ' + e.message); }\n");
    const { stdout } = await run(process.execPath, [probe], { cwd: pkg, timeout: 20_000 });
    expect(stdout).toContain('NativeUnavailableError: mapAnonymous: memory maps need');
    expect(stdout).toContain(`(the install-time build failed: node-gyp rebuild exited with`);
    expect(stdout).toContain(`details in ${log}`);

    // and a good build clears the record
    // (outside npm, so without npm_config_nodedir: the headers next to this node binary, no download)
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
    const built = await run(process.execPath, ['scripts/build-native.mjs'], { cwd: pkg, env, timeout: 60_000 });
    const prefix = dirname(dirname(realpathSync(process.execPath)));
    expect(built.stdout.trim()).toBe(`shared-ndarray: built the memory-map addon build/Release/shared_ndarray_native.node (headers from ${join(prefix, 'include', 'node')})`);
    expect(existsSync(log)).toBe(false);
    const ok = await run(process.execPath, ['-e', "import('./dist/io/native.js').then((n) => console.log(n.mapAnonymous(3).byteLength))"], { cwd: pkg, timeout: 20_000 });
    expect(ok.stdout.trim()).toBe('3');
  }, 120_000);
});
