#!/usr/bin/env node
// Provides shared-ndarray's optional native addon (MMap, SharedMemory, memmap). It is the package's
// "install" script, and can be run by hand: `node scripts/build-native.mjs [--from-source]`.
//
// The package ships the addon prebuilt for some platforms and Node ABIs (prebuilds/, made by
// scripts/prebuild.mjs when the package is packed). When the one for this platform and
// NODE_MODULE_VERSION loads, this says so and compiles nothing; otherwise (or with --from-source)
// it compiles build/Release/shared_ndarray_native.node with node-gyp. src/io/native.ts loads
// whichever of the two loads.
//
// It never fails the install: without the addon everything else in the package works, and the
// memory-map functions throw NativeUnavailableError saying how to build it. On any failure this
// prints one warning, records the reason in build/native-build-failure.txt (which that error
// quotes, since npm hides the output of install scripts that succeed) and exits 0.
//
// No network: node-gyp would download Node's headers. Node installs from distribution packages and
// the official tarballs ship them next to the binary, in <prefix>/include/node, which node-gyp
// accepts as --nodedir=<prefix>. npm's nodedir setting (npm_config_nodedir) is used when its
// headers are the running Node's NODE_MODULE_VERSION, else those beside the binary when they are;
// otherwise node-gyp is left to its defaults.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const addon = join(root, 'build', 'Release', 'shared_ndarray_native.node');
const failureLog = join(root, 'build', 'native-build-failure.txt');
/** The prebuild for this platform and ABI, named as in src/io/native.ts (prebuildify's layout). */
const prebuild = join(root, 'prebuilds', `${process.platform}-${process.arch}`, `node.abi${process.versions.modules}.node`);

/** Throws unless `file` loads in this Node as the addon. */
function checkLoads(file) {
  const loaded = createRequire(import.meta.url)(file);
  if (typeof loaded.mapFile !== 'function') throw new Error('it does not export mapFile');
}

class BuildFailure extends Error {
  constructor(message, details = '') {
    super(message);
    this.details = details;
  }
}

/** node-gyp's entry script: the one npm runs scripts with, else that of the npm beside this Node or on PATH, else a local install. */
export function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.js$/.test(npmCli)) candidates.push(join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  // the npm on PATH, when this Node came without one (a Node binary unpacked on its own)
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      candidates.push(join(dirname(realpathSync(join(dir, 'npm'))), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
      break;
    } catch { /* no npm in this directory */ }
  }
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch { /* not installed locally */ }
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new BuildFailure(`node-gyp was not found (looked for ${candidates.join(', ')})`);
  return found;
}

/** NODE_MODULE_VERSION of the Node headers in <prefix>/include/node, or undefined when there are none. */
export function headersAbi(prefix) {
  const include = join(prefix, 'include', 'node');
  if (!existsSync(join(include, 'v8.h')) || !existsSync(join(include, 'node_version.h'))) return undefined;
  return /#define NODE_MODULE_VERSION (\d+)/.exec(readFileSync(join(include, 'node_version.h'), 'utf8'))?.[1];
}

/**
 * Where node-gyp takes Node's headers from: npm's nodedir setting when its headers are for this
 * Node's ABI; else the headers beside this Node binary (a nodedir setting for another Node is then
 * dropped from node-gyp's environment, where it would override the command line); else node-gyp's
 * default, a download.
 */
function nodedirOptions() {
  const configured = process.env.npm_config_nodedir;
  const want = process.versions.modules;
  if (configured && headersAbi(configured) === want) return { args: [], env: process.env, note: `npm_config_nodedir=${configured}` };
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
  const stale = configured ? ` (npm_config_nodedir=${configured} has no headers for NODE_MODULE_VERSION ${want})` : '';
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  const include = join(prefix, 'include', 'node');
  const abi = headersAbi(prefix);
  if (abi === want) return { args: [`--nodedir=${prefix}`], env, note: `headers from ${include}${stale}` };
  const none = abi ? `the headers in ${include} are for NODE_MODULE_VERSION ${abi}, not ${want}` : `no headers in ${include}`;
  return { args: [], env, note: `${none}${stale}: node-gyp will try to download them` };
}

function build(prebuildNote) {
  if (process.platform === 'win32') throw new BuildFailure('memory maps use POSIX mmap and shm_open, which Windows does not have');
  const nodeGyp = findNodeGyp();
  const nodedir = nodedirOptions();
  if (prebuildNote) nodedir.note += `; ${prebuildNote}`;
  const args = [nodeGyp, 'rebuild', '--release', ...nodedir.args];
  const r = spawnSync(process.execPath, args, { cwd: root, env: nodedir.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
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
    checkLoads(addon);
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

/** Why the shipped prebuild cannot serve, or undefined when it loads. */
function prebuildProblem() {
  if (!existsSync(prebuild)) return `no prebuilt addon for ${process.platform}-${process.arch} NODE_MODULE_VERSION ${process.versions.modules}`;
  try {
    checkLoads(prebuild);
    return undefined;
  } catch (error) {
    return `the prebuilt ${relative(root, prebuild)} does not load: ${error.message.split('\n', 1)[0]}`;
  }
}

function main() {
  try {
    rmSync(failureLog, { force: true });
    const problem = process.argv.includes('--from-source') ? 'compiling as asked (--from-source)' : prebuildProblem();
    if (problem === undefined) {
      console.log(`shared-ndarray: the prebuilt memory-map addon ${relative(process.cwd(), prebuild) || prebuild} loads: nothing to compile`);
      return;
    }
    const note = build(problem);
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
}

// scripts/prebuild.mjs imports the helpers above; run as a script, this is the install step
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) main();
