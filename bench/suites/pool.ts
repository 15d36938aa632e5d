/**
 * Per-task overhead of the worker pool: one trivial call's round trip through `pool.apply`,
 * piscina's `run` and a raw worker_threads postMessage, plus a sketch of the pool protocol at its
 * barest (one message each way, transport encoding kept); then `map` over 10,000 tiny items with
 * and without chunking. Every worker is started before timing.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Pool, fromDescriptors as decode, toDescriptors as encode } from 'shared-ndarray';
import type { InterleavedCase, Suite, SuiteContext } from '../harness/context.js';
import { INSTALL, importPeer, packageVersion } from '../harness/peers.js';

export const support = (file: string): URL => new URL(`../support/${file}`, import.meta.url);

export type EchoPool = Pool<{ echo: (x: unknown) => unknown }>;
export interface PiscinaPool { run(task: unknown): Promise<unknown>; destroy(): Promise<void> }
export type PiscinaCtor = new (options: { filename: string; minThreads: number; maxThreads: number }) => PiscinaPool;

/**
 * A worker_threads worker that answers every message: with the message itself, or (`replies` 2)
 * first with a small notice and then with the message, as a `threads` worker answers a call.
 */
export function rawEcho(replies: 1 | 2): Worker {
  const reply = replies === 1 ? 'parentPort.postMessage(m)' : "{ parentPort.postMessage({ type: 'running' }); parentPort.postMessage(m); }";
  return new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => ${reply});`, { eval: true });
}

/** One call at a time over a worker: its `replies`-th message since a call settles that call. */
export function roundTrip(worker: Worker, replies: 1 | 2): (message: unknown) => Promise<unknown> {
  let resolve: ((value: unknown) => void) | undefined;
  let seen = 0;
  worker.on('message', (m: unknown) => { if (++seen === replies) resolve?.(m); });
  return (message) => new Promise((r) => { resolve = r; seen = 0; worker.postMessage(message); });
}

/**
 * The pool protocol at its barest: one message each way, transport encoding kept (the public
 * toDescriptors/fromDescriptors are the pool's encode/decode), no queue, no pool.
 */
export async function directProtocol(): Promise<{ apply(fn: string, ...args: unknown[]): Promise<unknown>; stop(): Promise<number> }> {
  const worker = new Worker(support('direct-echo.mjs'));
  await new Promise((resolve) => worker.once('message', resolve));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 0;
  worker.on('message', ({ id, reply }: { id: number; reply: { ok: boolean; value?: unknown; error?: unknown } }) => {
    const call = pending.get(id)!;
    pending.delete(id);
    if (reply.ok) call.resolve(decode(reply.value));
    else call.reject(decode(reply.error));
  });
  return {
    apply: (fn, ...args) => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, fn, args: encode(args) });
    }),
    stop: () => worker.terminate(),
  };
}

const RAW = 'worker_threads postMessage round trip';
const RAW2 = 'worker_threads round trip, worker replies twice';
const PISCINA = 'piscina run(x) (1 thread)';
const APPLY = 'pool.apply(echo, x) (1 worker)';
const SKETCH = 'sketch: pool protocol on worker_threads (1 message each way)';

async function roundTrips(s: SuiteContext, Piscina: PiscinaCtor | undefined): Promise<void> {
  s.group('one trivial call, round trip to one worker, one call in flight');
  const stops: Array<() => Promise<unknown>> = [];
  const cases: InterleavedCase[] = [];
  try {
    for (const replies of [1, 2] as const) {
      const raw = rawEcho(replies);
      stops.push(() => raw.terminate());
      const send = roundTrip(raw, replies);
      await send(0);
      cases.push({ name: replies === 1 ? RAW : RAW2, fn: () => send(1), options: replies === 1 ? { peer: true } : { peer: true, vs: RAW } });
    }
    if (Piscina) {
      const piscina = new Piscina({ filename: fileURLToPath(support('piscina-echo.mjs')), minThreads: 1, maxThreads: 1 });
      stops.push(() => piscina.destroy());
      await piscina.run(0);
      cases.push({ name: PISCINA, fn: () => piscina.run(1), options: { peer: true, vs: RAW } });
    } else {
      s.skip(PISCINA, `piscina is not installed: ${INSTALL.npm('piscina')}`, { peer: true, vs: RAW });
    }
    const pool: EchoPool = new Pool(support('echo.worker.mjs'), { size: 1 });
    stops.push(() => pool.terminate());
    await pool.ready();
    cases.push({ name: APPLY, fn: () => pool.apply('echo', 1), options: { vs: PISCINA } });

    const direct = await directProtocol();
    stops.push(() => direct.stop());
    cases.push({ name: SKETCH, fn: () => direct.apply('echo', 1), options: { peer: true, vs: PISCINA } });

    await s.interleaved(cases, { batch: s.quick ? 500 : 2000, rounds: s.quick ? 7 : 21 });
  } finally {
    await Promise.all(stops.map((stop) => stop()));
  }

  s.compare('pool.apply / piscina run', APPLY, PISCINA, 1.5);
  // issue 14: a pool.apply round trip within 1.3x of a raw postMessage round trip
  s.compare('pool.apply / raw postMessage', APPLY, RAW, 1.3);
  s.compare('piscina run / raw postMessage', PISCINA, RAW);
  s.compare('a second reply message / one', RAW2, RAW);
  s.compare('protocol sketch / piscina run', SKETCH, PISCINA);
  s.compare('pool.apply / protocol sketch (our queue and checks)', APPLY, SKETCH);
}

async function maps(s: SuiteContext, Piscina: PiscinaCtor | undefined): Promise<void> {
  const ITEMS = s.smoke ? 16 : 10_000;
  const WORKERS = 2;
  const items = Array.from({ length: ITEMS }, (_, i) => i);
  const PISCINA_MAP = `piscina: ${ITEMS.toLocaleString('en')} run(x) at once (${WORKERS} threads)`;
  const CHUNK1 = 'pool.map(echo, items, { chunksize: 1 })';
  const chunk = Math.ceil(ITEMS / (WORKERS * 4));
  const DEFAULT = `pool.map(echo, items) (default chunksize: ${chunk})`;
  s.group(`map over ${ITEMS.toLocaleString('en')} tiny items, ${WORKERS} workers (time for all of them)`);
  const stops: Array<() => Promise<unknown>> = [];
  const cases: InterleavedCase[] = [];
  try {
    if (Piscina) {
      const piscina = new Piscina({ filename: fileURLToPath(support('piscina-echo.mjs')), minThreads: WORKERS, maxThreads: WORKERS });
      stops.push(() => piscina.destroy());
      await Promise.all([piscina.run(0), piscina.run(0)]);
      cases.push({ name: PISCINA_MAP, fn: () => Promise.all(items.map((x) => piscina.run(x))), options: { peer: true } });
    } else {
      s.skip(PISCINA_MAP, `piscina is not installed: ${INSTALL.npm('piscina')}`, { peer: true });
    }
    const pool: EchoPool = new Pool(support('echo.worker.mjs'), { size: WORKERS });
    stops.push(() => pool.terminate());
    await pool.ready();
    cases.push({ name: CHUNK1, fn: () => pool.map('echo', items, { chunksize: 1 }), options: { vs: PISCINA_MAP } });
    cases.push({ name: DEFAULT, fn: () => pool.map('echo', items), options: { vs: PISCINA_MAP } });
    await s.interleaved(cases, { batch: 1, rounds: s.quick ? 3 : 9 });
  } finally {
    await Promise.all(stops.map((stop) => stop()));
  }
  s.compare('map chunksize 1 / piscina', CHUNK1, PISCINA_MAP);
  s.compare('map chunksize 1 / default chunking', CHUNK1, DEFAULT);
}

const suite: Suite = {
  name: 'pool',
  title: 'per-task overhead of the worker pool',
  async run(s) {
    const piscina = await importPeer<{ Piscina: PiscinaCtor }>('piscina');
    if (piscina) s.peerVersion('piscina', packageVersion('piscina'));
    await roundTrips(s, piscina?.Piscina);
    await maps(s, piscina?.Piscina);
  },
};
export default suite;
