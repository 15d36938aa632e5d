import { execFile, execFileSync, type ExecFileException } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * A user's view of the package: pack it, install the tarball into an ESM project outside the
 * repository, then run and type-check code that imports 'shared-ndarray' by name.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TYPE_ROOTS = join(ROOT, 'node_modules', '@types');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

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

interface PackResult { filename: string; files: Array<{ path: string }> }

/**
 * Where the tarball is packed and installed: outside the repository (Node and tsc must not find
 * its node_modules by walking up), one place per checkout, kept between runs. A fresh install
 * spends most of its time unpacking @stdlib's tens of thousands of files; so each run removes
 * only the installed shared-ndarray and the lockfile, and `npm install <tarball>` unpacks the new
 * tarball, runs its install script and reconciles the dependencies left by the last run with the
 * tarball's package.json (adding, updating and pruning), as in a user's project that upgrades.
 * The first run on a machine (as in CI) installs everything.
 */
const WORK = join(realpathSync(tmpdir()), `shared-ndarray-package-test-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);
const project = join(WORK, 'project');
let tarball = '';
let packed: PackResult;

function installTarball(): Promise<RunResult> {
  mkdirSync(project, { recursive: true });
  rmSync(join(project, 'node_modules', 'shared-ndarray'), { recursive: true, force: true });
  rmSync(join(project, 'package-lock.json'), { force: true });
  // The install script builds the native addon. npm 11 runs a dependency's install script with a
  // notice unless its allowScripts policy approves it (or, strict, fails without): approve it, as a
  // user would with `npm install-scripts approve shared-ndarray` (which writes this key).
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', allowScripts: { [`file:${tarball}`]: true } }, null, 2));
  return run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], project, 150_000);
}

beforeAll(async () => {
  const packDir = join(WORK, 'pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });

  // dist/ was just built by the vitest globalSetup (the same tsc -p tsconfig.build.json as the
  // prepack script). --ignore-scripts keeps prepack from rewriting dist/ while other test files
  // run workers from it in parallel.
  const out = execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
    cwd: ROOT, env: childEnv(), encoding: 'utf8', shell: process.platform === 'win32',
  });
  const parsed = JSON.parse(out) as PackResult[];
  expect(parsed).toHaveLength(1);
  packed = parsed[0]!;
  tarball = join(packDir, packed.filename);

  let install = await installTarball();
  if (install.code !== 0) {
    // whatever an interrupted earlier run left: install into an empty project instead
    rmSync(project, { recursive: true, force: true });
    install = await installTarball();
  }
  if (install.code !== 0) throw new Error(`npm install of the tarball failed (${install.code}):\n${install.stdout}\n${install.stderr}`);
}, 180_000);

describe('the packed tarball', () => {
  it('holds the compiled entry point and its types, and no tests or node_modules', () => {
    const paths = packed.files.map((f) => f.path.split('\\').join('/'));
    expect(paths).toContain('package.json');
    expect(paths).toContain('README.md');
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/index.d.ts');
    expect(paths).toContain('dist/ndarray/ndarray.js');
    expect(paths).toContain('dist/ndarray/ndarray.d.ts');
    // the compiled worker entries the pool starts, and the CLI
    for (const file of ['dist/worker.js', 'dist/worker.d.ts', 'dist/pool/worker-entry.js', 'dist/process/process-entry.js', 'dist/sieve/sieve.worker.js', 'dist/cli/main.js']) {
      expect(paths).toContain(file);
    }
    expect(paths.filter((p) => p.startsWith('test/') || p.includes('node_modules/'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.test.ts') || p.endsWith('.tgz'))).toEqual([]);
    // what the install script needs to build the native addon, and not a build of it
    for (const file of ['binding.gyp', 'scripts/build-native.mjs', 'src/io/native/shared_ndarray_native.cc']) expect(paths).toContain(file);
    expect(paths.filter((p) => p.startsWith('build/') || p.endsWith('.node'))).toEqual([]);
    // only what package.json "files" names (npm always adds package.json, README and LICENSE)
    expect(paths.filter((p) => !/^(dist\/|src\/|binding\.gyp$|scripts\/build-native\.mjs$|package\.json$|README(\.md)?$|LICENSE(\.md|\.txt)?$)/i.test(p))).toEqual([]);
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

describe('installed into an ESM project', () => {
  it('runs a plain .mjs that imports the package by name, in the main thread and in a worker', async () => {
    writeFileSync(join(project, 'worker.mjs'), [
      "import { parentPort, workerData } from 'node:worker_threads';",
      "import { SharedNDArray } from 'shared-ndarray';",
      'const a = SharedNDArray.fromDescriptor(workerData);',
      'a.set(0, 0, -1);',
      "parentPort.postMessage('done');",
      '',
    ].join('\n'));
    writeFileSync(join(project, 'main.mjs'), [
      "import { createRequire } from 'node:module';",
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
      "  stdlibCtor: createRequire(entry).resolve('@stdlib/ndarray/ctor'),",
      '}));',
      '',
    ].join('\n'));

    const r = await run(process.execPath, ['main.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.values).toEqual([[-1, 0, 0], [2.25, 0, 7.5]]);
    expect(out.raw).toEqual([-1, 0, 0, 2.25, 0, 7.5]);
    expect(out.big).toBe(String(2n ** 60n + 1n));
    expect(out.stdlibDtype).toBe('float64');
    expect(out.stdlibSameMemory).toBe(true);
    expect(out.roundTrip).toBe(true);
    expect(out.notShared).toBe(true);
    expect(out.deepImport).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    // It really ran the installed copy and its own @stdlib dependency, not this repository.
    const installed = join(project, 'node_modules', 'shared-ndarray') + sep;
    expect(out.entry).toBe(join(installed, 'dist', 'index.js'));
    expect(String(out.stdlibCtor).startsWith(join(project, 'node_modules') + sep)).toBe(true);
    expect(String(out.stdlibCtor).startsWith(ROOT)).toBe(false);
  }, 60_000);

  it("runs the package's own compiled sieve workers and a user's .mjs worker module from the install", async () => {
    writeFileSync(join(project, 'rows.worker.mjs'), [
      "import { threadId } from 'node:worker_threads';",
      "import { defineWorker } from 'shared-ndarray/worker';",
      'export default defineWorker({',
      '  fillRows(a, start, stop, offset) { for (let r = start; r < stop; r++) a.row(r).fill(offset + threadId); return [start, stop]; },',
      '});',
      '',
    ].join('\n'));
    writeFileSync(join(project, 'pool.mjs'), [
      "import { fileURLToPath } from 'node:url';",
      "import { Pool, zeros, countPrimes, primes, sieveWorkerModule } from 'shared-ndarray';",
      "const signals = () => process.listeners('SIGINT').length + process.listeners('SIGTERM').length;",
      'const before = signals();',
      'const count = await countPrimes(1_000_000, { threads: 2 });',
      'const last = (await primes(100, { threads: 2 })).toArray().slice(-3);',
      "const pool = new Pool(new URL('./rows.worker.mjs', import.meta.url), { size: 2 });",
      'const a = zeros([6, 4]);',
      "const blocks = await pool.mapRows('fillRows', a, { args: [1000] });",
      'pool.close();',
      'await pool.join();',
      'console.log(JSON.stringify({',
      '  count, last, blocks, rows: a.toArray().map((r) => r[0]),',
      '  sieveWorker: fileURLToPath(sieveWorkerModule()),',
      '  signalListenersAdded: signals() - before,',
      '}));',
      '',
    ].join('\n'));
    const r = await run(process.execPath, ['pool.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { count: number; last: number[]; blocks: number[][]; rows: number[]; sieveWorker: string; signalListenersAdded: number };
    expect(out.count).toBe(78498);
    expect(out.last).toEqual([83, 89, 97]);
    expect(out.blocks).toEqual([[0, 3], [3, 6]]);
    for (const value of out.rows) expect(value).toBeGreaterThan(1000);
    expect(out.sieveWorker).toBe(join(project, 'node_modules', 'shared-ndarray', 'dist', 'sieve', 'sieve.worker.js'));
    expect(out.signalListenersAdded).toBe(0);
  }, 60_000);

  it('runs Processes and a Pool sharing a Lock and a Queue from the install', async () => {
    writeFileSync(join(project, 'sync.worker.mjs'), [
      "import { defineWorker } from 'shared-ndarray/worker';",
      "import { withLock } from 'shared-ndarray';",
      'export default defineWorker({',
      '  count(lock, total, queue, n) { for (let i = 0; i < n; i++) withLock(lock, () => { total.data[0] += 1; }); queue.put(n); },',
      '});',
      '',
    ].join('\n'));
    writeFileSync(join(project, 'sync.mjs'), [
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
      '',
    ].join('\n'));
    const r = await run(process.execPath, ['sync.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ codes: [0, 0], total: 3000, got: [500, 500, 1000, 1000] });
  }, 60_000);

  it('built the native addon at install: MMap, SharedMemory and a pool worker writing a mapped file work', async () => {
    // the tarball holds no build (see above): this file is the install script's work
    const installed = join(project, 'node_modules', 'shared-ndarray');
    expect(existsSync(join(installed, 'build', 'Release', 'shared_ndarray_native.node'))).toBe(true);
    expect(existsSync(join(installed, 'build', 'native-build-failure.txt'))).toBe(false);
    writeFileSync(join(project, 'mmap.worker.mjs'), [
      "import { defineWorker } from 'shared-ndarray/worker';",
      'export default defineWorker({ fill(a, start, stop) { for (let r = start; r < stop; r++) a.row(r).fill(r + 1); } });',
      '',
    ].join('\n'));
    writeFileSync(join(project, 'mmap.mjs'), [
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
      '',
    ].join('\n'));
    const r = await run(process.execPath, ['mmap.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      first: 'Hello Python!\n', second: 'Hello  world!\n', file: 'Hello  world!\n',
      disk: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4], shared: 9,
    });
  }, 60_000);

  it('installs the shared-ndarray bin', async () => {
    const r = await run(join(project, 'node_modules', '.bin', 'shared-ndarray'), ['sieve', '1e6', '--json', '--threads', '2'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { n: number; count: number; threads: number };
    expect(out).toMatchObject({ n: 1_000_000, count: 78498, threads: 2 });
    const bad = await run(join(project, 'node_modules', '.bin', 'shared-ndarray'), ['sieve', 'lots'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Usage: shared-ndarray sieve');
  }, 60_000);

  it('shared-ndarray bench: the suites are not in the package, so it says where they are (help and usage errors still work)', async () => {
    const bin = join(project, 'node_modules', '.bin', 'shared-ndarray');
    const r = await run(bin, ['bench', 'pool', '--quick'], project);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^shared-ndarray: the benchmark suites are not part of the published package .*bench\/ folder/);
    expect(r.stderr).toContain('`npx shared-ndarray bench pool --quick`');
    const help = await run(bin, ['bench', '--help'], project);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/zerocopy +handing/);
    expect((await run(bin, ['bench', 'nope'], project)).code).toBe(2);
  }, 60_000);

  /**
   * tsc over both consumers at once, ok.ts and bad.ts: most of its time goes into checking the
   * declarations they import (@types/node, the package's, @stdlib's), which one run does once.
   * Neither file imports the other, so each one's diagnostics are those a run on it alone gives.
   */
  let consumers: Promise<RunResult> | undefined;
  const typecheckConsumers = (): Promise<RunResult> => (consumers ??= (async () => {
    writeFileSync(join(project, 'ok.ts'), OK_CONSUMER);
    writeFileSync(join(project, 'bad.ts'), BAD_CONSUMER);
    return run(process.execPath, [
      TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--typeRoots', TYPE_ROOTS, '--listFiles', '--pretty', 'false', 'ok.ts', 'bad.ts',
    ], project);
  })());
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
