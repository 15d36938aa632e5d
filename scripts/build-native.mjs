#!/usr/bin/env node
// Builds shared-ndarray's optional native addon (MMap, SharedMemory, memmap) with node-gyp. It is
// the package's "install" script, and can be run by hand: `node scripts/build-native.mjs`.
//
// It never fails the install: without the addon everything else in the package works, and the
// memory-map functions throw NativeUnavailableError saying how to build it. On any failure this
// prints one warning, records the reason in build/native-build-failure.txt (which that error
// quotes, since npm hides the output of install scripts that succeed) and exits 0.
//
// No network: node-gyp would download Node's headers. Node installs from distribution packages and
// the official tarballs ship them next to the binary, in <prefix>/include/node, which node-gyp
// accepts as --nodedir=<prefix>. They are used when their NODE_MODULE_VERSION is the running
// Node's; otherwise (or with npm_config_nodedir set) node-gyp is left to its defaults.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const addon = join(root, 'build', 'Release', 'shared_ndarray_native.node');
const failureLog = join(root, 'build', 'native-build-failure.txt');

class BuildFailure extends Error {
  constructor(message, details = '') {
    super(message);
    this.details = details;
  }
}

/** node-gyp's entry script: the one npm runs scripts with, else npm's own copy, else a local install. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.js$/.test(npmCli)) candidates.push(join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch { /* not installed locally */ }
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new BuildFailure(`node-gyp was not found (looked for ${candidates.join(', ')})`);
  return found;
}

/** `--nodedir=<prefix>` when the headers next to this Node binary match it, else no option. */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return { args: [], note: `npm_config_nodedir=${process.env.npm_config_nodedir}` };
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  const include = join(prefix, 'include', 'node');
  const versionHeader = join(include, 'node_version.h');
  if (!existsSync(join(include, 'v8.h')) || !existsSync(versionHeader)) {
    return { args: [], note: `no headers in ${include}: node-gyp will try to download them` };
  }
  const abi = /#define NODE_MODULE_VERSION (\d+)/.exec(readFileSync(versionHeader, 'utf8'))?.[1];
  if (abi !== process.versions.modules) {
    return { args: [], note: `the headers in ${include} are for NODE_MODULE_VERSION ${abi}, not ${process.versions.modules}: node-gyp will try to download the right ones` };
  }
  return { args: [`--nodedir=${prefix}`], note: `headers from ${include}` };
}

function build() {
  if (process.platform === 'win32') throw new BuildFailure('memory maps use POSIX mmap and shm_open, which Windows does not have');
  const nodeGyp = findNodeGyp();
  const nodedir = nodedirArgs();
  const args = [nodeGyp, 'rebuild', '--release', ...nodedir.args];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) throw new BuildFailure(`node-gyp did not run: ${r.error.message}`, output);
  if (r.status !== 0) {
    // the compiler's or node-gyp's own first error line is the most useful summary
    const first = output.split('\n').find((line) => /error|ERR!/i.test(line) && !/^gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok)/.test(line));
    throw new BuildFailure(`node-gyp rebuild exited with ${r.status ?? r.signal}${first ? `: ${first.trim()}` : ''} (${nodedir.note})`, output);
  }
  if (!existsSync(addon)) throw new BuildFailure(`node-gyp succeeded but ${addon} is missing`, output);
  // the build is only done when this Node can load it
  try {
    const loaded = createRequire(import.meta.url)(addon);
    if (typeof loaded.mapFile !== 'function') throw new Error('it does not export mapFile');
  } catch (error) {
    rmSync(addon, { force: true });
    throw new BuildFailure(`the built addon does not load: ${error.message}`, output);
  }
  return nodedir.note;
}

/** How a user retries: from an installed package, or in a checkout of the repository. */
function retryHint() {
  const inNodeModules = root.split(sep).includes('node_modules');
  const script = relative(process.cwd(), join(root, 'scripts', 'build-native.mjs')) || 'scripts/build-native.mjs';
  return inNodeModules
    ? `\`npm rebuild shared-ndarray\` or \`node ${script}\``
    : `\`node ${script}\``;
}

try {
  rmSync(failureLog, { force: true });
  const note = build();
  console.log(`shared-ndarray: built the memory-map addon ${relative(process.cwd(), addon) || addon} (${note})`);
} catch (error) {
  const reason = error instanceof BuildFailure ? error.message : `unexpected error: ${error?.stack ?? error}`;
  const details = error instanceof BuildFailure ? error.details : '';
  try {
    mkdirSync(dirname(failureLog), { recursive: true });
    writeFileSync(failureLog, `${reason}\n\n${details}`);
  } catch { /* a read-only install: the warning below still says it */ }
  console.warn([
    `shared-ndarray: WARNING: the optional memory-map addon (MMap, SharedMemory, memmap) was not built: ${reason}`,
    `  Everything else works; those throw NativeUnavailableError until it is built. It needs a C++ compiler, make and python3.`,
    `  To retry: ${retryHint()}`,
  ].join('\n'));
}
process.exitCode = 0;
