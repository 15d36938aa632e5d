import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { linkTree } from '../support/build.js';
import { scratchDir } from '../support/files.js';
import { nativeAddonPath } from '../../src/io/native.js';

/**
 * The native addon's install script (scripts/build-native.mjs) failing and succeeding, and the
 * compiled package without its addon, each in child processes. The API is in native.test.ts.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const support = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

const { path: dir } = scratchDir('shared-ndarray-native-');
/**
 * The repository's `part` in the package copy `pkg`, linked, not copied (dist/ three times was
 * 0.9 CPU s): the tests only add files there (build/, prebuilds/, a probe).
 */
function linkPart(part: string, pkg: string): void {
  if (!statSync(join(ROOT, part)).isDirectory()) {
    mkdirSync(dirname(join(pkg, part)), { recursive: true });
    cpSync(join(ROOT, part), join(pkg, part));
  } else linkTree(join(ROOT, part), join(pkg, part));
}

describe.concurrent('without the addon', () => {
  it('the package imports and works; the memory-map API throws NativeUnavailableError saying how to build it', async () => {
    for (const addon of [join(dir, 'missing', 'shared_ndarray_native.node'), (() => { const p = join(dir, 'broken.node'); writeFileSync(p, 'not a shared object'); return p; })()]) {
      const { stdout, stderr } = await run(process.execPath, [support('native-missing.mjs')], {
        env: { ...process.env, SHARED_NDARRAY_NATIVE_ADDON: addon }, timeout: 20_000,
      });
      expect(stderr).toBe('');
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out.sum).toBe(5);
      expect(out.fill).toEqual([2 * 2048 * 2.5, 0, 2.5, 0, String(-(2n ** 63n) * 1024n), String(-(2n ** 63n))]);
      expect(out.available).toBe(false);
      for (const key of ['mmap', 'shm', 'anonymous']) {
        const e = out[key] as { name: string; isClass: boolean; message: string };
        expect(e.name).toBe('NativeUnavailableError');
        expect(e.isClass).toBe(true);
        // an override is the only file tried: no fallback to the package's own builds
        expect(e.message).toContain(`tried ${addon}: ${addon.endsWith('broken.node') ? 'does not load: ' : 'not found. '}`);
        expect(e.message).not.toContain('prebuilds');
        expect(e.message).toContain(`node ${join(ROOT, 'scripts', 'build-native.mjs')}`);
        expect(e.message).toContain('npm rebuild shared-ndarray');
      }
      expect((out.mmap as { message: string }).message).toMatch(/^mapAnonymous: memory maps need shared-ndarray's native addon, and none loads on Node v\d+\.\d+\.\d+ \(linux-x64, NODE_MODULE_VERSION \d+\); tried /);
      expect((out.shm as { message: string }).message).toMatch(/^shmOpen: /);
    }
  }, 30_000);

  it('a failed build exits 0 with one warning and a recorded reason, which the error then quotes', async () => {
    // a copy of what an installed package holds, built with a compiler that always fails
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    for (const part of ['package.json', 'binding.gyp', 'scripts', 'dist', 'src/native']) linkPart(part, pkg);
    const failed = await run(process.execPath, ['scripts/build-native.mjs'], { cwd: pkg, env: { ...process.env, CXX: 'false' }, timeout: 60_000 });
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^shared-ndarray: WARNING: the optional memory-map addon \(MMap, SharedMemory, memmap\) was not built: node-gyp rebuild exited with \d+: /);
    expect(failed.stderr).toContain('To retry: `node scripts/build-native.mjs`');
    // why it compiled: this copy has no prebuilds
    expect(failed.stderr).toContain(`; no prebuilt addon for ${process.platform}-${process.arch} NODE_MODULE_VERSION ${process.versions.modules})`);
    expect(failed.stderr.trim().split('\n')).toHaveLength(3);
    const log = join(pkg, 'build', 'native-build-failure.txt');
    expect(readFileSync(log, 'utf8')).toMatch(/^node-gyp rebuild exited with/);
    const probe = join(pkg, 'probe.mjs');
    writeFileSync(probe, "import { mapAnonymous } from './dist/io/native.js';\ntry { mapAnonymous(1); } catch (e) { console.log(e.name + ': ' + e.message); }\n");
    const { stdout } = await run(process.execPath, [probe], { cwd: pkg, timeout: 20_000 });
    expect(stdout).toContain('NativeUnavailableError: mapAnonymous: memory maps need');
    expect(stdout).toContain(`(the install-time build failed: node-gyp rebuild exited with`);
    expect(stdout).toContain(`details in ${log}`);
    // the next run of the script clears the record: in 'the install script compiles nothing …' below
  }, 60_000);
});

describe.concurrent('compiled or prebuilt', () => {
  const arch = `${process.platform}-${process.arch}`;
  const abi = `node.abi${process.versions.modules}.node`;
  /** An installed package's files, without any addon: dist/, the build script and the addon source. */
  function packageCopy(name: string): string {
    const pkg = join(dir, name);
    mkdirSync(pkg);
    for (const part of ['package.json', 'binding.gyp', 'scripts/build-native.mjs', 'dist', 'src/native']) linkPart(part, pkg);
    return pkg;
  }
  const probe = "import('./dist/io/native.js').then((n) => { try { console.log(n.nativeAddonPath()); } catch (e) { console.log(e.name + ': ' + e.message); } })";
  const place = (from: string, to: string): void => {
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to);
  };

  it('the loader tries build/Release, then the prebuild for this Node ABI: the first that loads wins, and the error lists each failure', async () => {
    const pkg = packageCopy('loader');
    const compiled = join(pkg, 'build', 'Release', 'shared_ndarray_native.node');
    const prebuilt = join(pkg, 'prebuilds', arch, abi);
    const working = nativeAddonPath();
    const loaded = async (): Promise<string> => (await run(process.execPath, ['-e', probe], { cwd: pkg, timeout: 20_000 })).stdout.trim();

    expect(await loaded()).toBe(
      `NativeUnavailableError: nativeAddonPath: memory maps need shared-ndarray's native addon, and none loads on Node ${process.version} ` +
      `(${arch}, NODE_MODULE_VERSION ${process.versions.modules}); tried ${compiled}: not built; ${prebuilt}: no prebuilt addon for this platform and Node ABI. ` +
      `Build it with \`node ${join(pkg, 'scripts', 'build-native.mjs')}\` (needs a C++ compiler, make, python3 and Node's headers), or \`npm rebuild shared-ndarray\` in your project ` +
      '(if npm skipped the install script: with --ignore-scripts, or under an allowScripts policy that does not approve it, `npm install-scripts approve shared-ndarray` first).',
    );
    place(working, prebuilt);
    expect(await loaded()).toBe(prebuilt);
    // a compiled addon that does not load (here: not a shared object) falls through to the prebuild
    mkdirSync(dirname(compiled), { recursive: true });
    writeFileSync(compiled, 'not a shared object');
    expect(await loaded()).toBe(prebuilt);
    // one that loads comes first
    place(working, compiled);
    expect(await loaded()).toBe(compiled);
    // neither loads: each one's reason
    writeFileSync(compiled, 'not a shared object');
    writeFileSync(prebuilt, 'not one either');
    const both = await loaded();
    expect(both).toContain(`tried ${compiled}: does not load: `);
    expect(both).toContain(`; ${prebuilt}: does not load: `);
  }, 30_000);

  /*
   * The addon is compiled once in a run of the tests, by package.e2e.test.ts's `npm rebuild` of
   * the installed package (about 5 CPU s); that compiled build/Release loads first is checked in
   * the loader test above. Here the build that a prebuild which does not load starts is one
   * without Python (node-gyp's NODE_GYP_FORCE_PYTHON=false): the message says why it compiled,
   * and where from.
   */
  it("the install script compiles nothing when the prebuild for this Node ABI loads, clearing a failed build's record, and compiles when it does not", async () => {
    const pkg = packageCopy('install');
    const prebuilt = join(pkg, 'prebuilds', arch, abi);
    place(nativeAddonPath(), prebuilt);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
    // what a failed build leaves (see 'a failed build exits 0 …' above), which the next run clears
    const log = join(pkg, 'build', 'native-build-failure.txt');
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(log, 'node-gyp rebuild exited with 1: an earlier attempt\n');
    const skipped = await run(process.execPath, ['scripts/build-native.mjs'], { cwd: pkg, env, timeout: 20_000 });
    expect(skipped.stdout.trim()).toBe(`shared-ndarray: the prebuilt memory-map addon prebuilds/${arch}/${abi} loads: nothing to compile`);
    expect(skipped.stderr).toBe('');
    expect(existsSync(log)).toBe(false);
    expect(existsSync(join(pkg, 'build', 'Release'))).toBe(false);

    writeFileSync(prebuilt, 'not a shared object');
    // (outside npm, so without npm_config_nodedir: the headers next to this node binary, no download)
    // Here the build fails where Python is missing, before gyp's configure (0.4 CPU s) that the
    // compiler failing in 'a failed build …' above runs: the warning names python3 as needed.
    const tried = await run(process.execPath, ['scripts/build-native.mjs'], { cwd: pkg, env: { ...env, NODE_GYP_FORCE_PYTHON: 'false' }, timeout: 60_000 });
    const prefix = dirname(dirname(realpathSync(process.execPath)));
    expect(tried.stdout).toBe('');
    expect(tried.stderr).toMatch(/^shared-ndarray: WARNING: the optional memory-map addon \(MMap, SharedMemory, memmap\) was not built: node-gyp rebuild exited with \d+: /);
    expect(tried.stderr).toContain(`(headers from ${join(prefix, 'include', 'node')}; the prebuilt prebuilds/${arch}/${abi} does not load: `);
    expect(tried.stderr).toContain('It needs a C++ compiler, make and python3.');
    expect(readFileSync(log, 'utf8')).toMatch(/^node-gyp rebuild exited with/);
  }, 90_000);
});
