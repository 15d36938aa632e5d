import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three projects, by what a test file starts:
 * - unit: `*.test.ts`, in-process on src/ only, no build. `npm run test:unit`, the edit-test loop,
 *   runs them without the slow ones (QUICK below): seconds of CPU each (a 2 GiB read, the sieve
 *   kernels against their references, the largest property tests), `*.slow.test.ts` and the files
 *   SLOW_UNIT names (listed here rather than renamed, so that edits to them merge).
 * - thread: `*.thread.test.ts`, start worker threads or child processes that load the compiled
 *   dist/ (vitest does not transform worker code), so the global setup builds it first.
 * - e2e: `*.e2e.test.ts`, the packed tarball installed in a project, the examples under tsx and
 *   the command as a process.
 */
const THREAD = 'test/**/*.thread.test.ts';
const E2E = 'test/**/*.e2e.test.ts';
/**
 * Unit files of more than a CPU second each (per-file CPU of a full run, CONTRIBUTING.md):
 * together about half of the unit project's time.
 */
const SLOW_UNIT = [
  'test/sieve/wheel.test.ts',
  'test/sieve/kernel.test.ts',
  'test/ndarray/views.property.test.ts',
  'test/pool/partition.property.test.ts',
  'test/ops/numpy-validation.test.ts',
  'test/ops/kernels/pow-native.property.test.ts',
];
const SLOW = ['test/**/*.slow.test.ts', ...SLOW_UNIT];
/**
 * Whether this is `npm run test:unit`. Any other run keeps the slow files in the unit project:
 * vitest gives each project processes of its own (two, maxWorkers), each loading vitest, the setup
 * and src/ again, and a project of their own cost 1.3-1.5 CPU s more (unit and slow, 3 runs each).
 */
const QUICK = process.env.npm_lifecycle_event === 'test:unit';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two files at a time on two cores: thread tests start threads of their own, so more
    // would only oversubscribe the cores.
    maxWorkers: 2,
    // vitest's transforms of src/ and test/ kept on disk between runs (node_modules/
    // .experimental-vitest-cache, keyed by each file's content): the unit project took 22.7 CPU s
    // on a warm cache against 28.1 without (/usr/bin/time npx vitest run --project unit)
    experimental: { fsModuleCache: true },
    // Every project's files share their processes: real-timers.ts refuses to start a file after
    // one that left a fake setTimeout behind (which stalled the next file's pools and polls).
    // `TEST_CPU_LOG=file npm test`: each file's CPU seconds, appended to file (CONTRIBUTING.md)
    setupFiles: ['test/support/real-timers.ts', ...(process.env.TEST_CPU_LOG ? ['test/support/cpu-log.ts'] : [])],
    // each project's list below comes after this one (extends: true)
    globalSetup: ['test/support/numpy-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, THREAD, E2E, ...(QUICK ? SLOW : [])],
          globalSetup: ['test/support/native.ts'],
          // No test here leaves state behind that another file could see, so files share their
          // workers and the modules they loaded. Processes, not threads: memory the addon maps
          // in a worker thread crashes the process when that thread exits (src/io/native).
          pool: 'forks',
          isolate: false,
        },
      },
      {
        extends: true,
        // Processes, not threads: these tests count the host's signal listeners. Files share their
        // process (a second of vitest and module loading saved per file); what a pool does first
        // in a process is checked in child processes.
        test: { name: 'thread', include: [THREAD], globalSetup: ['test/support/build.ts'], pool: 'forks', isolate: false },
      },
      {
        extends: true,
        // each test runs its commands in child processes: the files can share theirs. types.ts
        // starts tsc (the typecheck and the declarations) beside them.
        test: { name: 'e2e', include: [E2E], globalSetup: ['test/support/build.ts', 'test/support/types.ts'], pool: 'forks', isolate: false },
      },
    ],
  },
});
