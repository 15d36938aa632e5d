import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../bench/harness/redis-server.js';

/**
 * The Manager's hand-off between threads under concurrent load, on both stores: worker threads'
 * blocking calls, the main thread's blocking calls and several async tasks of the main thread at
 * once, with messages larger than a slot
 * (test/support/handoff-stress.mjs). A lost request or reply shows as a count that does not add
 * up, or as a call that never returns: the script runs as a child process whose watchdog kills
 * it when any call takes more than BOUND_MS, and this file kills it after RUN_MS, so such a loss
 * fails the test with what the hand-off's words held, never hangs it. One child process runs the
 * three tests' parts, one after another, each test reading its line.
 */

const SCRIPT = new URL('../support/handoff-stress.mjs', import.meta.url);
/** The most one call may take: far above a loaded machine's worst (tens of ms). */
const BOUND_MS = 10_000;
/** The most a whole run, of the three parts, may take on a loaded 2-core machine. */
const RUN_MS = 90_000;
const ROUNDS = Number(process.env.HANDOFF_STRESS_ROUNDS ?? 100);

interface Report {
  wrongReads: number;
  listExact: boolean;
  listLength: number;
  expectedListLength: number;
  lockedCount: number;
  expectedLockedCount: number;
  addedCount: number;
  expectedAddedCount: number;
  queueSumGot: number;
  queueSumPut: number;
  queueLeft: number;
  feedSumGot: number;
  feedSumPut: number;
  dictLength: number;
  expectedDictLength: number;
}

interface Parts {
  embedded: Report;
  slots: number[];
  redis: Report;
}

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let run: Promise<Partial<Parts>> | undefined;
/** The child's part `name`, from its one run (started by the first test to ask). */
async function part<K extends keyof Parts>(name: K): Promise<Parts[K]> {
  run ??= runChild(SCRIPT, [JSON.stringify({ rounds: ROUNDS, bound: BOUND_MS, url: redis.url })])
    .then((out) => Object.assign({}, ...out.trim().split('\n').map((line) => JSON.parse(line) as Partial<Parts>)) as Partial<Parts>);
  const parts = await run;
  expect(parts).toHaveProperty(name);
  return parts[name]!;
}

/** Runs a script as a child process and gives its output; one that does not end in RUN_MS is killed and fails. */
async function runChild(script: URL, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [script.pathname, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script.pathname} ended with ${signal ?? `exit code ${code}`} (${signal === 'SIGKILL' && err === '' ? `not done in ${RUN_MS} ms` : 'see below'}):\n${err}`);
  return out;
}

function expectExact(report: Report): void {
  expect(report.wrongReads).toBe(0);
  expect(report.listLength).toBe(report.expectedListLength);
  expect(report.listExact).toBe(true);
  expect(report.lockedCount).toBe(report.expectedLockedCount);
  expect(report.addedCount).toBe(report.expectedAddedCount);
  expect(report.queueSumGot).toBe(report.queueSumPut);
  expect(report.queueLeft).toBe(0);
  expect(report.feedSumGot).toBe(report.feedSumPut);
  expect(report.dictLength).toBe(report.expectedDictLength);
}

describe('the hand-off under concurrent blocking and async calls', () => {
  it('embedded: every call answered, every count exact', async () => {
    expectExact(await part('embedded'));
  }, RUN_MS + 10_000);

  it("a thread's async calls waiting in the manager leave slots for its blocking calls", async () => {
    expect(await part('slots')).toEqual(Array.from({ length: 16 }, (_, i) => i));
  }, RUN_MS + 10_000);

  describe('Redis', () => {
    it('Redis-backed: every call answered, every count exact', async () => {
      expectExact(await part('redis'));
    }, RUN_MS + 10_000);
  });
});
