import { execFile, type ExecFileException, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../bench/suites/index.js';
import { describeNumpy, PYTHON } from './support/numpy.js';
import { files, linkTree, upToDate } from './support/build.js';
import { typesResult } from './support/types.js';
import { rowClass, value } from './support/programs/formula.js';

/**
 * A user's view of the package: pack it, install the tarball into an empty ESM project outside
 * the repository, then run and type-check code that imports 'shared-ndarray' by name.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TYPE_ROOTS = join(ROOT, 'node_modules', '@types');
/** tsx as a user without it in the project runs it (`npx tsx`, a global install): not in the project's node_modules. */
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** Three programs a new user wrote from the README and the .d.ts files (test/support/programs). */
const PROGRAMS = join(ROOT, 'test', 'support', 'programs');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/**
 * The last installs of the tarball (`project` and `bare` as npm left them, and the install's
 * output), under a key of the tarball's bytes, Node's and npm's versions and the install flags.
 * In node_modules/.cache, which `npm ci` empties.
 */
const INSTALLS = join(ROOT, 'node_modules', '.cache', 'shared-ndarray', 'package-e2e');
/** tsc's incremental state over the consumers, and what it emitted (typecheckConsumers). */
const CONSUMERS = join(ROOT, 'node_modules', '.cache', 'shared-ndarray', 'package-e2e-consumers');
/** The Node majors the tarball ships a prebuilt addon for, and their ABIs (NODE_MODULE_VERSION). */
const TARGET_MAJORS = ['20', '22', '24'];
const TARGET_ABIS = ['115', '127', '137'];

/**
 * The environment for child processes: without the npm_* variables `npm run`/`npx` put around
 * vitest (npm_config_local_prefix, npm_config_prefix, ... would point the child npm at this
 * repository), keeping only those that say where the cache, registry and certificates are.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set([
    'npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry', 'npm_config_cafile',
    'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy', 'npm_config_strict_ssl',
  ]);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NODE_OPTIONS' || (/^npm_/i.test(k) && !keep.has(k.toLowerCase()))) continue;
    env[k] = v;
  }
  env.npm_config_update_notifier = 'false';
  // npm, and the install scripts it runs, under the Node that runs these tests
  env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}`;
  return env;
}

interface RunResult { code: number; stdout: string; stderr: string }

/** Runs a command to completion, never throwing on a nonzero exit (the tests assert on `code`). */
function run(file: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: childEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, shell: process.platform === 'win32' },
      (error: ExecFileException | null, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
  });
}

/**
 * The version of the npm the children run, for the install cache's key: from the package.json
 * beside the npm on their PATH (npm-cli.js, in npm's bin/), as `npm --version` would say it at 0.15
 * CPU s; else from `npm --version`.
 */
async function npmVersion(): Promise<string> {
  const bin = (childEnv().PATH ?? '').split(delimiter).map((dir) => join(dir, NPM)).find((f) => existsSync(f));
  const manifest = bin && join(dirname(realpathSync(bin)), '..', 'package.json');
  if (manifest && existsSync(manifest)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'npm' && pkg.version) return pkg.version;
  }
  return (await run(NPM, ['--version'], tmp)).stdout.trim();
}

interface PackResult { filename: string; files: Array<{ path: string; size: number }> }

let tmp = '';
let project = '';
let bare = '';
let tarball = '';
/** sha256 of the tarball's bytes, in the keys of what is cached for it. */
let tarballHash = '';
let packed: PackResult;
let installOutput = '';
/** The Nodes the package ships prebuilt addons for (scripts/fetch-node.mjs): major → node binary. */
let nodes: Record<string, string> = {};
/**
 * A third install, `bare`'s copy without its prebuilds, where `npm rebuild` compiles the addon:
 * apart, so that the compile runs beside the other tests instead of after those using `bare`.
 */
let rebuilt = '';
let rebuild: Promise<RunResult>;

beforeAll(async () => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'shared-ndarray-package-')));
  const packDir = join(tmp, 'pack');
  project = join(tmp, 'project');
  bare = join(tmp, 'bare');
  rebuilt = join(tmp, 'rebuilt');
  for (const dir of [packDir, project, bare]) mkdirSync(dir);

  // The prebuilt addons (prepack's other step), where one is missing or older than the addon's
  // sources (scripts/prebuild.mjs's rule, here over all of src/native). When none is, the script
  // would only load each under its Node (0.3-0.4 CPU s), as the tests below do from the install.
  const addonSources = [join(ROOT, 'binding.gyp'), ...files(join(ROOT, 'src', 'native'))];
  const prebuilds = TARGET_ABIS.map((abi) => join(ROOT, 'prebuilds', 'linux-x64', `node.abi${abi}.node`));
  const prebuild = prebuilds.every((file) => upToDate(file, addonSources)) ? undefined : run(process.execPath, ['scripts/prebuild.mjs'], ROOT, 540_000);
  // The Node binaries, in this process (a Node start less): the first run fetches Node 22 and 24
  // from the registry into a cache (either this or prebuild.mjs may; fetch-node.mjs takes a
  // download another process finished first).
  const { nodeFor } = (await import(pathToFileURL(join(ROOT, 'scripts', 'fetch-node.mjs')).href)) as { nodeFor(major: string): { node: string } };
  nodes = Object.fromEntries(TARGET_MAJORS.map((major) => [major, nodeFor(major).node]));
  const built = await prebuild;
  if (built && built.code !== 0) throw new Error(`scripts/prebuild.mjs failed (${built.code}):\n${built.stdout}\n${built.stderr}`);

  // dist/ was built by the vitest globalSetup: scripts/bundle.mjs as the prepack script runs it,
  // and the declarations of tsc -p tsconfig.build.json, written in a process of their own
  // (test/support/types.ts), awaited here (not the rest of that tsc's check). --ignore-scripts
  // keeps prepack from rewriting dist/ while other test files run workers from it in parallel.
  await typesResult('declarationsResult');
  const [pack, version] = await Promise.all([
    run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], ROOT),
    npmVersion(),
  ]);
  if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${pack.stderr}`);
  const parsed = JSON.parse(pack.stdout) as PackResult[];
  expect(parsed).toHaveLength(1);
  packed = parsed[0]!;
  tarball = join(packDir, packed.filename);

  // `project` runs the install script (it finds the prebuild loads). npm 11 runs a dependency's
  // install script with a notice unless its allowScripts policy approves it (or, strict, fails
  // without): approve it, as a user would with `npm install-scripts approve shared-ndarray` (which
  // writes this key). `bare` is installed with --ignore-scripts.
  const allowScripts = { [`file:${tarball}`]: true };
  const allow = JSON.stringify({ type: 'module', allowScripts }, null, 2);
  const flags = ['--prefer-offline', '--no-audit', '--no-fund'];
  const commands = { project: ['install', tarball, '--foreground-scripts', ...flags], bare: ['install', tarball, '--ignore-scripts', ...flags] };
  const rebuildCommand = ['rebuild', 'shared-ndarray', '--foreground-scripts'];
  // The installs and the rebuild of this very tarball by this Node, npm and C++ compiler, made by
  // an earlier run, are copied (INSTALLS): what npm and the compiler would write again, for about
  // 8 + 5 CPU s less. Any change to the package's files (dist/, src/, the addon's sources) is a new
  // tarball, and all three run again.
  const compiler = spawnSync(process.env.CXX || 'g++', ['--version'], { encoding: 'utf8' });
  const bytes = readFileSync(tarball);
  tarballHash = createHash('sha256').update(bytes).digest('hex');
  const key = createHash('sha256').update(bytes).update(JSON.stringify([
    process.version, version, commands.project.slice(2), commands.bare.slice(2), rebuildCommand, compiler.stdout ?? String(compiler.error),
  ])).digest('hex').slice(0, 24);
  const cached = join(INSTALLS, key);
  if (existsSync(join(cached, 'install-output.txt'))) {
    // links, not copies: 1900 files and 20 MB, which cpSync copied in 1.3 CPU s, linked in 0.09.
    // The tests only add files to the installs, never write one in place (which would change the
    // cache entry too); the one file that changes, package.json, is removed and written anew.
    for (const dir of [project, bare, rebuilt]) {
      linkTree(join(cached, basename(dir)), dir);
      // the tarball's path is this run's: approve it as the install did, in a file of this run's
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      rmSync(join(dir, 'package.json'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, allowScripts }, null, 2));
    }
    installOutput = readFileSync(join(cached, 'install-output.txt'), 'utf8');
    rebuild = Promise.resolve(JSON.parse(readFileSync(join(cached, 'rebuild.json'), 'utf8')) as RunResult);
  } else {
    writeFileSync(join(project, 'package.json'), allow);
    writeFileSync(join(bare, 'package.json'), allow);
    const [install, bareInstall] = await Promise.all([
      run(NPM, commands.project, project, 150_000),
      run(NPM, commands.bare, bare, 150_000),
    ]);
    if (install.code !== 0) throw new Error(`npm install of the tarball failed (${install.code}):\n${install.stdout}\n${install.stderr}`);
    if (bareInstall.code !== 0) throw new Error(`npm install --ignore-scripts of the tarball failed (${bareInstall.code}):\n${bareInstall.stdout}\n${bareInstall.stderr}`);
    installOutput = `${install.stdout}${install.stderr}`;
    rmSync(INSTALLS, { recursive: true, force: true });
    // the entry is made whole beside its name, then renamed: a run stopped midway leaves none
    const partial = `${cached}.partial`;
    for (const dir of [project, bare]) linkTree(dir, join(partial, basename(dir)));
    // as on a platform or Node the tarball has no prebuild for: the install script, rerun, compiles
    // (a copy, not links: npm may rewrite its files in place)
    cpSync(bare, rebuilt, { recursive: true, verbatimSymlinks: true });
    rmSync(join(rebuilt, 'node_modules', 'shared-ndarray', 'prebuilds'), { recursive: true });
    rebuild = run(NPM, rebuildCommand, rebuilt, 120_000).then((r) => {
      if (r.code === 0) {
        linkTree(rebuilt, join(partial, 'rebuilt'));
        writeFileSync(join(partial, 'rebuild.json'), JSON.stringify(r));
        writeFileSync(join(partial, 'install-output.txt'), installOutput);
        renameSync(partial, cached);
      }
      return r;
    });
    // awaited by its test; a failure to copy is that test's, not an unhandled rejection
    rebuild.catch(() => undefined);
  }
  // @stdlib/ndarray, the optional peer toStdlib needs, where a user who calls toStdlib installs it:
  // in the project's node_modules, here a link to this repository's copy of the pinned version
  // (a real install of its 437 MB costs minutes of disk time per run). `bare` has none.
  symlinkSync(join(ROOT, 'node_modules', '@stdlib'), join(project, 'node_modules', '@stdlib'), 'dir');
  // the longest step of the tests below, started before them
  typecheckConsumers().catch(() => undefined);
}, 720_000);

afterAll(async () => {
  // what beforeAll started, done with the files before they go (a run filtered to a few tests)
  await Promise.allSettled([rebuild, consumers]);
  // the @stdlib link is removed, not followed
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/**
 * Runs `scripts` (each a file `<name>.mjs` with the files it loads) one after another in one Node
 * process started in `dir()`, on the first call: nothing they check depends on a process of their
 * own, and a Node start with the package's import is ~0.1 CPU s each. Each prints one line, which
 * the call for its name returns, parsed; the process must exit 0 with nothing on stderr, so a
 * throw in one fails the tests of all.
 */
function oneProcess<Name extends string>(dir: () => string, scripts: Record<Name, Record<string, string[]>>, runner: string): (name: Name) => Promise<unknown> {
  const names = Object.keys(scripts);
  let ran: Promise<RunResult> | undefined;
  return async (name) => {
    ran ??= (() => {
      for (const script of Object.values<Record<string, string[]>>(scripts)) {
        for (const [file, lines] of Object.entries(script)) writeFileSync(join(dir(), file), [...lines, ''].join('\n'));
      }
      // a file, not -e: what the package starts inherits the process's execArgv
      writeFileSync(join(dir(), runner), `for (const f of ${JSON.stringify(names)}) await import(\`./\${f}.mjs\`);\n`);
      return run(process.execPath, [runner], dir());
    })();
    const r = await ran;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(names.length);
    return JSON.parse(lines[names.indexOf(name)]!) as unknown;
  };
}

describe('the packed tarball', () => {
  it('holds the compiled entry point and its types, and no tests or node_modules', () => {
    const paths = packed.files.map((f) => f.path.split('\\').join('/'));
    expect(paths).toContain('package.json');
    expect(paths).toContain('README.md');
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/index.d.ts');
    // the bundled code the entry points share
    expect(paths.some((p) => /^dist\/chunks\/chunk-\w+\.js$/.test(p))).toBe(true);
    expect(paths).toContain('dist/ndarray/ndarray.d.ts');
    // the compiled worker entries the pool starts, and the CLI
    for (const file of ['dist/worker.js', 'dist/worker.d.ts', 'dist/pool/worker-entry.js', 'dist/process/process-entry.js', 'dist/sieve/sieve.worker.js', 'dist/ops/ops.worker.js', 'dist/cli/main.js']) {
      expect(paths).toContain(file);
    }
    expect(paths.filter((p) => p.startsWith('test/') || p.includes('node_modules/'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.test.ts') || p.endsWith('.tgz'))).toEqual([]);
    // the prebuilt addons, and what the install script needs to compile one where none fits
    expect(paths.filter((p) => p.endsWith('.node')).sort()).toEqual(TARGET_ABIS.map((abi) => `prebuilds/linux-x64/node.abi${abi}.node`));
    for (const file of ['binding.gyp', 'scripts/build-native.mjs', 'src/native/shared_ndarray_native.cc', 'src/native/fill.cc']) expect(paths).toContain(file);
    expect(paths.filter((p) => p.startsWith('build/'))).toEqual([]);
    // the benchmark runner, compiled, with the files its suites load as they are (not its sources)
    for (const file of ['dist/bench/run.js', 'dist/bench/suites/pool.js', 'dist/bench/support/echo.worker.mjs', 'dist/bench/peers/article.py', 'dist/bench/performance.template.md']) {
      expect(paths).toContain(file);
    }
    expect(paths.filter((p) => p.startsWith('bench/') || (p.startsWith('dist/bench/') && p.endsWith('.ts')))).toEqual([]);
    // only what package.json "files" names (npm always adds package.json, README and LICENSE)
    expect(paths.filter((p) => !/^(dist\/|src\/|prebuilds\/linux-x64\/node\.abi\d+\.node$|binding\.gyp$|scripts\/build-native\.mjs$|package\.json$|README(\.md)?$|LICENSE(\.md|\.txt)?$)/i.test(p))).toEqual([]);
    // 3 addons of about 60 kB each
    const prebuiltBytes = packed.files.filter((f) => f.path.endsWith('.node')).reduce((sum, f) => sum + f.size, 0);
    expect(prebuiltBytes).toBeLessThan(400_000);
  });
});

/** A strict consumer of the published types that must type-check. */
const OK_CONSUMER = [
  'import {',
  '  zeros, frombuffer, full, arange, SharedNDArray, fromStdlib, isNDArrayDescriptor, NotSharedError, SharedNDArrayError,',
  '  Pool, countPrimes, type NDArrayDescriptor, type DType, type StdlibNdarray, Lock, Queue, Process, withLock, OwnerDiedError,',
  '  MMap, SharedMemory, NativeUnavailableError, type MMapOptions, type SharedMemoryOptions,',
  "} from 'shared-ndarray';",
  "import { defineWorker, type WorkerDefinition } from 'shared-ndarray/worker';",
  '',
  'const f: number = zeros([2, 3]).get(0, 0);',
  "const big: bigint = zeros([2], 'int64').get(0);",
  "const flag: boolean = zeros([2], 'bool').get(1);",
  "const w = frombuffer(new SharedArrayBuffer(16), { dtype: 'int32' });",
  'const n: number = w.get(0);',
  "zeros([2], 'bool').set(0, true);",
  "zeros([2], 'int64').set(1, 5n);",
  'const d: NDArrayDescriptor = w.toDescriptor();',
  'const back: SharedNDArray = SharedNDArray.fromDescriptor(d);',
  "const typed: SharedNDArray<'int64'> = full([2], 3n);",
  'const s: StdlibNdarray = back.toStdlib();',
  'const again: SharedNDArray = fromStdlib(s, { copy: true });',
  'const dt: DType = again.dtype;',
  "const isErr: boolean = new NotSharedError('x') instanceof SharedNDArrayError;",
  'const shape: readonly number[] = arange(6).reshape(2, 3).T.shape;',
  "const pool = new Pool<{ default: WorkerDefinition<{ scale(a: SharedNDArray<'float64'>, k: number): number }> }>(new URL('file:///w.js'));",
  "const scaled: Promise<number> = pool.apply('scale', zeros([2]), 2);",
  'const pi: Promise<number> = countPrimes(10);',
  'const defined = defineWorker({ twice: (x: number) => 2 * x });',
  'const lock = new Lock();',
  'const held: boolean = lock.acquire({ timeout: 10 });',
  'const sum: number = withLock(lock, () => 1 + 1);',
  "const proc = new Process<{ default: WorkerDefinition<{ put(q: Queue, n: number): void }> }>({ module: new URL('file:///w.js'), fn: 'put', args: [new Queue(), 1] });",
  'const code: number | null = proc.exitCode;',
  "const died: boolean = new OwnerDiedError('x') instanceof SharedNDArrayError;",
  "const mmapOptions: MMapOptions = { access: 'read', offset: 0 };",
  'const line: Buffer = new MMap(-1, 16).readline();',
  'const found: number = new MMap(-1, 8, mmapOptions).find(new Uint8Array([0]));',
  'const shmOptions: SharedMemoryOptions = { create: true, size: 8 };',
  'const shmBuf: SharedArrayBuffer = new SharedMemory(shmOptions).buf;',
  "const unavailable: boolean = new NativeUnavailableError('x') instanceof SharedNDArrayError;",
  'void scaled; void pi; void defined; void held; void sum; void code; void died; void line; void found; void shmBuf; void unavailable;',
  'console.log(f.toFixed(1), big + 1n, flag, n, isNDArrayDescriptor(d), typed.dtype, dt, isErr, shape, zeros([2]).get(0).toFixed());',
  '',
].join('\n');

/** Two real type errors against the published types, and nothing else wrong. */
const BAD_CONSUMER = [
  "import { zeros } from 'shared-ndarray';",
  '',
  "const s: string = zeros([2], 'int64').get(0);",
  "zeros([2], 'bool').set(0, 1);",
  'console.log(s);',
  '',
].join('\n');

/**
 * tsc over both consumers and the user programs at once: ok.ts, bad.ts and programs/*.ts,
 * compiled to build/. Most of its time goes into checking the declarations they import
 * (@types/node and the package's), which one run does once. None imports another, so each
 * one's diagnostics are those a run on it alone gives (tsc emits despite bad.ts's errors).
 * --skipDefaultLibCheck skips only TypeScript's own lib.*.d.ts, a second of checking files
 * that ship with the compiler; every other declaration is checked.
 *
 * tsc's own incremental mode: its .tsbuildinfo and build/ from the last run (CONSUMERS) are put
 * in the project first, and tsc checks again only the files whose text changed and those
 * importing them (the package's declarations and the consumers after a change to src/), and
 * reports the diagnostics it recorded for the others (4.8 CPU s from cold, 2 with nothing
 * changed: parsing the declarations again). With nothing changed at all, tsc is not run: its
 * last result and build/ are those of this very input, as the installs are (INSTALLS). The key
 * holds every input: the tarball's bytes, this file (the consumers, tsc's arguments and the
 * project around them), the programs, and the compiler's and @types/node's versions.
 */
let consumers: Promise<RunResult> | undefined;
const typecheckConsumers = (): Promise<RunResult> => (consumers ??= (async () => {
  writeFileSync(join(project, 'ok.ts'), OK_CONSUMER);
  writeFileSync(join(project, 'bad.ts'), BAD_CONSUMER);
  cpSync(PROGRAMS, join(project, 'programs'), { recursive: true });
  const programs = readdirSync(PROGRAMS).filter((f) => f.endsWith('.ts')).sort().map((f) => `programs/${f}`);
  const hash = createHash('sha256').update(tarballHash).update(readFileSync(fileURLToPath(import.meta.url)));
  for (const f of programs) hash.update(f).update(readFileSync(join(project, f)));
  for (const pkg of ['typescript', '@types/node']) hash.update(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json')));
  const key = hash.digest('hex');
  // tsc lists the files it read by their absolute paths, the project's of this run among them
  const PROJECT = '<project>';
  const result = join(CONSUMERS, 'result.json');
  const last = existsSync(result) ? (JSON.parse(readFileSync(result, 'utf8')) as RunResult & { key: string }) : undefined;
  if (last?.key === key) {
    // links: the programs are run from build/, not written
    linkTree(join(CONSUMERS, 'build'), join(project, 'build'));
    return { code: last.code, stdout: last.stdout.replaceAll(PROJECT, project), stderr: last.stderr.replaceAll(PROJECT, project) };
  }
  const state = ['build', 'consumers.tsbuildinfo'];
  if (existsSync(join(CONSUMERS, state[1]!))) for (const f of state) cpSync(join(CONSUMERS, f), join(project, f), { recursive: true });
  const r = await run(process.execPath, [
    TSC, '--outDir', 'build', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--types', 'node', '--typeRoots', TYPE_ROOTS, '--skipDefaultLibCheck', '--listFiles', '--pretty', 'false',
    '--incremental', '--tsBuildInfoFile', state[1]!, 'ok.ts', 'bad.ts', ...programs,
  ], project);
  // kept whole or not at all: a .tsbuildinfo without the build/ it describes would emit nothing
  // (and a tsc that ended early, on a timeout, may have written neither)
  if (state.every((f) => existsSync(join(project, f)))) {
    const next = `${CONSUMERS}.next`;
    rmSync(next, { recursive: true, force: true });
    for (const f of state) cpSync(join(project, f), join(next, f), { recursive: true });
    // the result only of a run that ended (exit 0, or 2 for bad.ts's errors), not on a timeout
    if (r.code === 0 || r.code === 2) {
      writeFileSync(join(next, 'result.json'), JSON.stringify({ key, code: r.code, stdout: r.stdout.replaceAll(project, PROJECT), stderr: r.stderr.replaceAll(project, PROJECT) }));
    }
    rmSync(CONSUMERS, { recursive: true, force: true });
    renameSync(next, CONSUMERS);
  }
  return r;
})());

describe.concurrent('installed into an empty ESM project', () => {
  /**
   * What the first four tests run: four scripts, each printing one line, run one after another in
   * one Node process (inProject), as the missing peers' below are. main.mjs comes first, the first
   * import of the package in the process, and pool.mjs next, before any other script starts a
   * pool: it counts the signal listeners its pools add.
   */
  const projectScripts = {
    main: {
      'worker.mjs': [
        "import { parentPort, workerData } from 'node:worker_threads';",
        "import { SharedNDArray } from 'shared-ndarray';",
        'const a = SharedNDArray.fromDescriptor(workerData);',
        'a.set(0, 0, -1);',
        "parentPort.postMessage('done');",
      ],
      'main.mjs': [
        "import { fileURLToPath } from 'node:url';",
        "import { Worker } from 'node:worker_threads';",
        "import { frombuffer, zeros, SharedNDArray, fromStdlib, NotSharedError } from 'shared-ndarray';",
        '',
        'const sab = new SharedArrayBuffer(6 * 8);',
        'const a = frombuffer(sab).reshape(2, 3);',
        'a.set(1, 2, 7.5);',
        'const t = SharedNDArray.fromDescriptor(a.T.toDescriptor());',
        't.set(0, 1, 2.25);',
        "const big = zeros([2, 2], 'int64');",
        'big.set(0, 1, 2n ** 60n + 1n);',
        "const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: a.toDescriptor() });",
        "await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });",
        'await w.terminate();',
        'const s = a.toStdlib();',
        'let deepImport = "allowed";',
        "try { await import('shared-ndarray/dist/ndarray/ndarray.js'); } catch (e) { deepImport = e.code; }",
        "const entry = fileURLToPath(import.meta.resolve('shared-ndarray'));",
        'console.log(JSON.stringify({',
        '  values: a.toArray(),',
        '  raw: Array.from(new Float64Array(sab)),',
        '  big: big.get(0, 1).toString(),',
        '  stdlibDtype: String(s.dtype),',
        '  stdlibSameMemory: s.data.buffer === sab,',
        '  roundTrip: fromStdlib(s).buffer === sab,',
        '  notShared: (() => { try { frombuffer(new ArrayBuffer(8)).toDescriptor(); return "no error"; } catch (e) { return e instanceof NotSharedError; } })(),',
        '  deepImport,',
        '  entry,',
        '}));',
      ],
    },
    pool: {
      'rows.worker.mjs': [
        "import { threadId } from 'node:worker_threads';",
        "import { defineWorker } from 'shared-ndarray/worker';",
        'export default defineWorker({',
        '  fillRows(a, start, stop, offset) { for (let r = start; r < stop; r++) a.row(r).fill(offset + threadId); return [start, stop]; },',
        '});',
      ],
      'pool.mjs': [
        "import { fileURLToPath } from 'node:url';",
        "import { Pool, zeros, countPrimes, primes, sieveWorkerModule } from 'shared-ndarray';",
        "import { add } from 'shared-ndarray/ops';",
        "const signals = () => process.listeners('SIGINT').length + process.listeners('SIGTERM').length;",
        'const before = signals();',
        'const count = await countPrimes(1_000_000, { threads: 2 });',
        '// the default pool, from the install: large enough to run in its workers, not inline',
        'const sum = add(zeros([300_000]), 2).get(299_999);',
        'const onDefaultPool = await countPrimes(1_000_000);',
        'const last = (await primes(100, { threads: 2 })).toArray().slice(-3);',
        "const pool = new Pool(new URL('./rows.worker.mjs', import.meta.url), { size: 2 });",
        'const a = zeros([6, 4]);',
        "const blocks = await pool.mapRows('fillRows', a, { args: [1000] });",
        'pool.close();',
        'await pool.join();',
        'console.log(JSON.stringify({',
        '  count, last, blocks, rows: a.toArray().map((r) => r[0]), sum, onDefaultPool,',
        '  sieveWorker: fileURLToPath(sieveWorkerModule()),',
        '  signalListenersAdded: signals() - before,',
        '}));',
      ],
    },
    sync: {
      'sync.worker.mjs': [
        "import { defineWorker } from 'shared-ndarray/worker';",
        "import { withLock } from 'shared-ndarray';",
        'export default defineWorker({',
        '  count(lock, total, queue, n) { for (let i = 0; i < n; i++) withLock(lock, () => { total.data[0] += 1; }); queue.put(n); },',
        '});',
      ],
      'sync.mjs': [
        "import { Lock, Process, Pool, Queue, zeros } from 'shared-ndarray';",
        "const module = new URL('./sync.worker.mjs', import.meta.url);",
        'const lock = new Lock();',
        "const total = zeros([1], 'int32');",
        'const queue = new Queue();',
        "const processes = [1, 2].map(() => new Process({ module, fn: 'count', args: [lock, total, queue, 1000] }));",
        'for (const p of processes) p.start();',
        'for (const p of processes) await p.join();',
        'const pool = new Pool(module, { size: 2 });',
        "await Promise.all([1, 2].map(() => pool.apply('count', lock, total, queue, 500)));",
        'await pool.terminate();',
        'const got = []; while (!queue.empty()) got.push(queue.get());',
        'console.log(JSON.stringify({ codes: processes.map((p) => p.exitCode), total: total.get(0), got: got.sort((a, b) => a - b) }));',
      ],
    },
    mmap: {
      'mmap.worker.mjs': [
        "import { defineWorker } from 'shared-ndarray/worker';",
        'export default defineWorker({ fill(a, start, stop) { for (let r = start; r < stop; r++) a.row(r).fill(r + 1); } });',
      ],
      'mmap.mjs': [
        "import { readFileSync, writeFileSync } from 'node:fs';",
        "import { MMap, SharedMemory, Pool, frombuffer } from 'shared-ndarray';",
        "writeFileSync('hello.txt', 'Hello Python!\\n');",
        "const mm = new MMap('hello.txt', 0);",
        'const first = mm.readline().toString();',
        "mm.assign(6, undefined, ' world!\\n');",
        'mm.seek(0);',
        'const second = mm.readline().toString();',
        'mm.close();',
        "writeFileSync('matrix.bin', Buffer.alloc(4 * 3 * 8));",
        "const map = new MMap('matrix.bin', 0);",
        "const a = frombuffer(map.buffer, { dtype: 'float64' }).reshape(4, 3);",
        "const pool = new Pool(new URL('./mmap.worker.mjs', import.meta.url), { size: 2 });",
        "await pool.mapRows('fill', a);",
        'await pool.terminate();',
        'map.flush();',
        "const bytes = readFileSync('matrix.bin');",
        'const disk = Array.from(new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));',
        'const shm = new SharedMemory({ create: true, size: 16 });',
        'new Uint8Array(new SharedMemory(shm.name).buf)[15] = 9;',
        'const shared = new Uint8Array(shm.buf)[15];',
        'shm.unlink();',
        "console.log(JSON.stringify({ first, second, file: readFileSync('hello.txt', 'utf8'), disk, shared }));",
      ],
    },
  };
  const inProject = oneProcess(() => project, projectScripts, 'project.mjs');

  it('runs a plain .mjs that imports the package by name, in the main thread and in a worker', async () => {
    const out = await inProject('main') as Record<string, unknown>;
    expect(out.values).toEqual([[-1, 0, 0], [2.25, 0, 7.5]]);
    expect(out.raw).toEqual([-1, 0, 0, 2.25, 0, 7.5]);
    expect(out.big).toBe(String(2n ** 60n + 1n));
    expect(out.stdlibDtype).toBe('float64');
    expect(out.stdlibSameMemory).toBe(true);
    expect(out.roundTrip).toBe(true);
    expect(out.notShared).toBe(true);
    expect(out.deepImport).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    // It really ran the installed copy, not this repository.
    const installed = join(project, 'node_modules', 'shared-ndarray') + sep;
    expect(out.entry).toBe(join(installed, 'dist', 'index.js'));
  }, 60_000);

  it("runs the package's own compiled sieve and ops workers (on the default pool too) and a user's .mjs worker module from the install", async () => {
    const out = await inProject('pool') as { count: number; sum: number; onDefaultPool: number; last: number[]; blocks: number[][]; rows: number[]; sieveWorker: string; signalListenersAdded: number };
    expect(out.count).toBe(78498);
    expect(out.sum).toBe(2);
    expect(out.onDefaultPool).toBe(78498);
    expect(out.last).toEqual([83, 89, 97]);
    expect(out.blocks).toEqual([[0, 3], [3, 6]]);
    for (const value of out.rows) expect(value).toBeGreaterThan(1000);
    expect(out.sieveWorker).toBe(join(project, 'node_modules', 'shared-ndarray', 'dist', 'sieve', 'sieve.worker.js'));
    expect(out.signalListenersAdded).toBe(0);
  }, 60_000);

  it('runs Processes and a Pool sharing a Lock and a Queue from the install', async () => {
    expect(await inProject('sync')).toEqual({ codes: [0, 0], total: 3000, got: [500, 500, 1000, 1000] });
  }, 60_000);

  it('the install script found the prebuilt addon loads and compiled nothing: MMap, SharedMemory and a pool worker writing a mapped file work', async () => {
    expect(installOutput).toContain(`shared-ndarray: the prebuilt memory-map addon prebuilds/linux-x64/node.abi${process.versions.modules}.node loads: nothing to compile`);
    expect(existsSync(join(project, 'node_modules', 'shared-ndarray', 'build'))).toBe(false);
    expect(await inProject('mmap')).toEqual({
      first: 'Hello Python!\n', second: 'Hello  world!\n', file: 'Hello  world!\n',
      disk: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4], shared: 9,
    });
  }, 60_000);

  // The command's exit codes and streams as a process are checked here, on the installed bin (the
  // same dist/cli/main.js as the repository's), not again in cli/main.e2e.test.ts.
  it('installs the shared-ndarray bin: sieve --json, one JSON line, nothing on stderr (a pipe is no terminal: no progress bar); a usage error exits with 2 and prints the usage on stderr', async () => {
    const bin = join(project, 'node_modules', '.bin', 'shared-ndarray');
    const [r, bad] = await Promise.all([run(bin, ['sieve', '1e6', '--json', '--threads', '2'], project), run(bin, ['sieve', 'lots'], project)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const out = JSON.parse(r.stdout) as { n: number; count: number; threads: number };
    expect(out).toMatchObject({ n: 1_000_000, count: 78498, threads: 2 });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^error: .*'lots'/);
    expect(bad.stderr).toContain('Usage: shared-ndarray sieve');
  }, 60_000);

  it('shared-ndarray bench runs a suite from the install, skipping the peers it lacks with the line that installs them', async () => {
    const bin = join(project, 'node_modules', '.bin', 'shared-ndarray');
    // piscina (a devDependency of the repository) is not installed with the package
    // --smoke: each case measured once; this checks the runner works from an install, not what it
    // measures. Two suites in one run (a second run of the bin and the runner was 0.4 CPU s);
    // --out is checked on the repository's build, in cli/main.e2e.test.ts.
    const [r, help, nope] = await Promise.all([
      run(bin, ['bench', 'pool', 'ndarray', '--smoke'], project, 120_000),
      run(bin, ['bench', '--help'], project),
      run(bin, ['bench', 'nope'], project),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# shared-ndarray benchmarks \(--smoke\)/);
    expect(r.stdout).toMatch(/^\| pool\.apply\(echo, x\) \(1 worker\) \| [\d.]+ (ns|µs|ms) \|/m);
    expect(r.stdout).toContain('| piscina run(x) (1 thread) | skipped | | | piscina is not installed: npm install piscina |');
    expect(r.stderr).toContain('    skipped: piscina is not installed: npm install piscina');
    // results in the current directory, not in node_modules
    const json = join(project, 'shared-ndarray-bench', 'quick', 'pool.json');
    expect(existsSync(json) && existsSync(join(project, 'shared-ndarray-bench', 'quick', 'pool.svg'))).toBe(true);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ suite: 'pool', quick: true, smoke: true });

    // benchmark.js is an optional peer: without it the cases it samples are skipped, not failed
    expect(r.stderr).toContain('    skipped: benchmark.js is not installed: npm install benchmark');
    expect(r.stdout).toContain('| SharedNDArray.get(i, j) | skipped | | | benchmark.js is not installed: npm install benchmark |');
    expect(existsSync(join(project, 'shared-ndarray-bench', 'quick', 'ndarray.json'))).toBe(true);

    // the command hands its arguments to the runner's process and passes back what it wrote and
    // its exit code (the runner's help and usage errors in full: test/bench/run.test.ts)
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: shared-ndarray bench \[options\] \[suite\.\.\.\]/);
    for (const name of SUITE_NAMES) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(help.stdout).toMatch(/zerocopy +handing/);
    expect(nope.code).toBe(2);
    expect(nope.stdout).toBe('');
    expect(nope.stderr).toMatch(/^error: .*'nope'/);
    expect(nope.stderr).toMatch(/Usage: shared-ndarray bench/);
  }, 180_000);

  /**
   * A user program, compiled by tsc (build/programs/NAME.js) and, with `tsx`, under tsx
   * (programs/NAME.ts) as well, both at once; `args(0)` are the compiled run's arguments, `args(1)`
   * the tsx run's. Only analytics runs under tsx: what tsx adds (a `.ts` worker module of a
   * program in a project, compiled once into the project's cache) is the same for each program,
   * and examples.e2e.test.ts runs a Pool's and a Process's `.ts` workers under tsx in a project.
   */
  async function runProgram(name: string, args: (run: 0 | 1) => string[] = () => [], { tsx = false } = {}): Promise<Array<{ how: string } & RunResult>> {
    const compiled = typecheckConsumers().then(() => run(process.execPath, [join('build', 'programs', `${name}.js`), ...args(0)], project));
    const underTsx = tsx ? run(process.execPath, [TSX, join('programs', `${name}.ts`), ...args(1)], project) : undefined;
    return [{ how: 'compiled by tsc', ...await compiled }, ...(underTsx ? [{ how: 'under tsx', ...await underTsx }] : [])];
  }
  /** Each run's stdout, parsed, after checking it exited 0 and wrote nothing on stderr. */
  const outputs = (runs: Array<{ how: string } & RunResult>): unknown[] => runs.map((r) => {
    expect(r.stderr, r.how).toBe('');
    expect(r.code, r.how).toBe(0);
    return JSON.parse(r.stdout) as unknown;
  });
  const diagnostics = (r: RunResult): string[] => r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));

  it('type-checks a strict .ts consumer against the published declarations', async () => {
    const r = await typecheckConsumers();
    // a run on ok.ts alone exits 0: no diagnostic outside bad.ts, in ok.ts or any declaration
    expect(diagnostics(r).filter((l) => !l.startsWith('bad.ts('))).toEqual([]);
    // The declarations came from the installed package (not from this repository's dist/).
    const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const installedIndex = join(project, 'node_modules', 'shared-ndarray', 'dist', 'index.d.ts').split(sep).join('/');
    expect(files).toContain(installedIndex);
    expect(files.filter((p) => p.startsWith(join(ROOT, 'dist').split(sep).join('/')))).toEqual([]);
  }, 60_000);

  it('a user program: an analytics script fills a [20000, 1000] matrix on pool workers and reduces it, as one thread does', async () => {
    // the whole matrix's sum, its largest value and the first row holding it, one row of each
    // kind computed (rowClass): 1M cells instead of 20M, 0.35 CPU s less
    const rows = new Map<number, { sum: number; max: number }>();
    let total = 0;
    let max = -Infinity;
    let maxRow = -1;
    for (let r = 0; r < 20_000; r++) {
      let row = rows.get(rowClass(r));
      if (!row) {
        row = { sum: 0, max: -Infinity };
        for (let c = 0; c < 1_000; c++) {
          const x = value(r, c);
          row.sum += x;
          row.max = Math.max(row.max, x);
        }
        rows.set(rowClass(r), row);
      }
      total += row.sum;
      if (row.max > max) [max, maxRow] = [row.max, r];
    }
    const runs = await runProgram('analytics', undefined, { tsx: true });
    expect(runs).toHaveLength(2);
    for (const out of outputs(runs)) {
      expect(out).toEqual({ shape: [20_000, 1_000], blocks: 2, filledRight: true, same: true, total, max, maxRow });
    }
    // under tsx the .ts worker module ran compiled, from the project's cache (docs/pool.md)
    const cache = join(project, 'node_modules', '.cache', 'shared-ndarray', 'workers');
    expect(readdirSync(cache).flatMap((key) => readdirSync(join(cache, key)))).toContain('analytics.worker.mjs');
  }, 60_000);

  describeNumpy('a user program with numpy', () => {
    it('numpy → pool → numpy: .npy files numpy wrote (float64 and int64) are processed on pool workers and read back by numpy', async () => {
      const dirs = ['npy-compiled'].map((d) => join(tmp, d));
      for (const dir of dirs) mkdirSync(dir);
      // One Python process, one import of numpy (0.25 CPU s): it writes the inputs, says so, waits
      // for a line on stdin while the program runs, then checks what the program wrote.
      const numpy = spawn(PYTHON, ['-c', [
        'import numpy as np, sys, json',
        'rng = np.random.default_rng(7)',
        'x, counts = rng.standard_normal((3000, 200)), np.arange(3000 * 4).reshape(3000, 4)',
        'for d in sys.argv[1:]:',
        "    np.save(d + '/x.npy', x); np.save(d + '/counts.npy', counts)",
        "print('written', flush=True)",
        'sys.stdin.readline()',
        'out = []',
        'for d in sys.argv[1:]:',
        "    x, counts = np.load(d + '/x.npy'), np.load(d + '/counts.npy')",
        "    z, totals = np.load(d + '/z.npy'), np.load(d + '/totals.npy')",
        '    expected = (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)',
        '    out.append([str(z.dtype), bool(np.allclose(z, expected, rtol=0, atol=1e-12)), str(totals.dtype), bool((totals == counts.sum(axis=1)).all())])',
        'print(json.dumps(out))',
      ].join('\n'), ...dirs], { cwd: project });
      let stderr = '';
      numpy.stderr.on('data', (d) => { stderr += d; });
      const lines = createInterface({ input: numpy.stdout })[Symbol.asyncIterator]();
      let checked: string;
      try {
        expect((await lines.next()).value, stderr).toBe('written');
        for (const out of outputs(await runProgram('pipeline', (i) => [dirs[i]!]))) {
          expect(out).toEqual({ x: [3000, 200], countsDtype: 'int64', z: [3000, 200], totals: [3000] });
        }
        numpy.stdin.end('\n');
        checked = String((await lines.next()).value);
      } finally {
        // a failed test leaves no Python waiting on its stdin
        numpy.kill();
      }
      expect(JSON.parse(checked)).toEqual([['float64', true, 'float64', true]]);
    }, 60_000);
  });

  it('a user program: a literal port of a Python Pool + Queue + Process producer/consumer', async () => {
    // sum of i*i for i < 4000, and the squares 4 tasks on 2 workers put while the main thread blocked
    for (const out of outputs(await runProgram('producer-consumer'))) {
      expect(out).toEqual({ count: 4000, total: 3999 * 4000 * 7999 / 6, exitCode: 0, first: [0, 1, 100, 121, 400, 441, 900, 961] });
    }
  }, 60_000);

  it('negative control: real type errors against the published types make tsc fail', async () => {
    const r = await typecheckConsumers();
    expect(r.code).not.toBe(0);
    const planted = diagnostics(r).filter((l) => l.startsWith('bad.ts('));
    // Exactly the two planted errors, and not, e.g., an unresolved module (TS2307) that would
    // also fail tsc without proving anything about our types.
    expect(planted).toHaveLength(2);
    expect(diagnostics(r)).toEqual(planted);
    expect(planted[0]).toMatch(/^bad\.ts\(3,7\): error TS2322: Type 'bigint' is not assignable to type 'string'/);
    expect(planted[1]).toMatch(/^bad\.ts\(4,\d+\): error TS2345: .*'\[0, 1\]'.*value: boolean/);
  }, 60_000);
});

describe.concurrent('installed with --ignore-scripts and without the optional @stdlib/ndarray', () => {
  const memmapScript = [
    "import { readFileSync } from 'node:fs';",
    "import { createMemmap, openMemmap, SharedMemory } from 'shared-ndarray';",
    "const m = createMemmap('m.npy', { dtype: 'int32', shape: [3, 4] });",
    'm.row(1).fill(Number(process.versions.modules));',
    'm.flush();',
    "const back = openMemmap('m.npy', { mode: 'r' });",
    'const shm = new SharedMemory({ create: true, size: 8 });',
    'new Uint8Array(new SharedMemory(shm.name).buf)[7] = 5;',
    'const shared = new Uint8Array(shm.buf)[7];',
    'shm.unlink();',
    "console.log(JSON.stringify({ abi: process.versions.modules, row: back.toArray()[1], size: readFileSync('m.npy').length, shared }));",
    '',
  ].join('\n');

  it('memmap, MMap and SharedMemory work from the prebuilt addons on Node 20, 22 and 24: nothing was compiled', async () => {
    writeFileSync(join(bare, 'memmap.mjs'), memmapScript);
    expect(existsSync(join(bare, 'node_modules', 'shared-ndarray', 'build'))).toBe(false);
    for (const [i, major] of TARGET_MAJORS.entries()) {
      const r = await run(nodes[major]!, ['memmap.mjs'], bare);
      expect(r.stderr, `Node ${major}`).toBe('');
      const abi = TARGET_ABIS[i]!;
      // a .npy header of 128 bytes, then 12 int32
      expect(JSON.parse(r.stdout), `Node ${major}`).toEqual({ abi, row: Array(4).fill(Number(abi)), size: 128 + 48, shared: 5 });
    }
  }, 60_000);

  /** Three scripts, each printing one line, run one after another in one Node process (oneProcess). */
  const missingPeers = {
    stdlib: {
      'stdlib.mjs': [
        "import { createRequire } from 'node:module';",
        "import { zeros, fromStdlib, SharedNDArrayError } from 'shared-ndarray';",
        'const a = zeros([2]);',
        'a.set(1, 4);',
        'let resolved;',
        "try { resolved = createRequire(import.meta.url).resolve('@stdlib/ndarray/ctor'); } catch (e) { resolved = e.code; }",
        'let error;',
        'try { a.toStdlib(); } catch (e) { error = { name: e.name, module: e.module, ours: e instanceof SharedNDArrayError, message: e.message, cause: e.cause?.code }; }',
        "const wrapped = fromStdlib({ dtype: 'float64', data: a.data, shape: [2], strides: [1], offset: 0, get: () => 0 }).get(1);",
        'console.log(JSON.stringify({ sum: a.toArray()[1], resolved, error, wrapped }));',
      ],
    },
    redis: {
      'redis.mjs': [
        "import { Manager, SharedNDArrayError } from 'shared-ndarray';",
        'let error;',
        "try { await Manager.start({ url: 'redis://127.0.0.1:1' }); } catch (e) { error = { name: e.name, module: e.module, ours: e instanceof SharedNDArrayError, message: e.message }; }",
        'console.log(JSON.stringify(error));',
      ],
    },
    cluster: {
      'cluster.mjs': [
        "import { ClusterPool } from 'shared-ndarray/cluster';",
        "import { SharedNDArrayError } from 'shared-ndarray';",
        'let error;',
        "try { new ClusterPool(new URL(import.meta.url), { url: 'redis://127.0.0.1:1', queue: 'q' }); } catch (e) { error = { name: e.name, module: e.module, ours: e instanceof SharedNDArrayError, message: e.message }; }",
        'console.log(JSON.stringify(error));',
      ],
    },
  };
  const missingPeer = oneProcess(() => bare, missingPeers, 'peers.mjs');

  it('the package works without @stdlib/ndarray; toStdlib() throws OptionalDependencyError naming the install command', async () => {
    expect(await missingPeer('stdlib')).toEqual({
      sum: 4,
      resolved: 'MODULE_NOT_FOUND',
      error: {
        name: 'OptionalDependencyError', module: '@stdlib/ndarray', ours: true, cause: 'MODULE_NOT_FOUND',
        message: 'toStdlib: needs the optional peer dependency @stdlib/ndarray, which is not installed; install it with `npm install @stdlib/ndarray`',
      },
      wrapped: 4,
    });
  });

  it('a Redis-backed Manager without ioredis: OptionalDependencyError naming the install command', async () => {
    expect(await missingPeer('redis')).toEqual({
      name: 'OptionalDependencyError', module: 'ioredis', ours: true,
      message: 'Manager.start: needs the optional peer dependency ioredis, which is not installed; install it with `npm install ioredis`',
    });
  });

  it('shared-ndarray/cluster without bullmq and ioredis: it imports; a ClusterPool is an OptionalDependencyError naming both', async () => {
    expect(await missingPeer('cluster')).toEqual({
      name: 'OptionalDependencyError', module: 'ioredis', ours: true,
      message: 'ClusterPool: needs the optional peer dependency ioredis, which is not installed; a cluster needs bullmq and ioredis: install them with `npm install bullmq ioredis`',
    });
  });

  it('where no prebuild fits, the install script compiles the addon; where neither loads, the error lists both', async () => {
    // `rebuilt`: `bare` without its prebuilds, `npm rebuild` started in beforeAll
    const installed = join(rebuilt, 'node_modules', 'shared-ndarray');
    const built = await rebuild;
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(new RegExp(`shared-ndarray: built the memory-map addon build/Release/shared_ndarray_native\\.node \\(.*; no prebuilt addon for linux-x64 NODE_MODULE_VERSION ${process.versions.modules}\\)`));
    const compiled = join(installed, 'build', 'Release', 'shared_ndarray_native.node');
    expect(existsSync(compiled)).toBe(true);
    writeFileSync(join(rebuilt, 'memmap.mjs'), memmapScript);
    const r = await run(process.execPath, ['memmap.mjs'], rebuilt);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ abi: process.versions.modules, shared: 5 });

    // another Node: this build is not for its ABI, and no prebuild is left
    const other = TARGET_MAJORS.find((major) => major !== process.versions.node.split('.')[0])!;
    const otherAbi = TARGET_ABIS[TARGET_MAJORS.indexOf(other)]!;
    const failed = await run(nodes[other]!, ['memmap.mjs'], rebuilt);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain(`NativeUnavailableError: mapFile: memory maps need shared-ndarray's native addon, and none loads on Node v${other}.`);
    expect(failed.stderr).toContain(`tried ${compiled}: does not load: `);
    expect(failed.stderr).toContain(`NODE_MODULE_VERSION ${process.versions.modules}. This version of Node.js requires`);
    expect(failed.stderr).toContain(`; ${join(installed, 'prebuilds', 'linux-x64', `node.abi${otherAbi}.node`)}: no prebuilt addon for this platform and Node ABI. `);
    expect(failed.stderr).toContain('npm rebuild shared-ndarray');
  }, 150_000);
});
