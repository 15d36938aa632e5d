/**
 * Where a SharedNDArray hand-off's time goes beyond a raw postMessage (the zerocopy suite's
 * pair): one pool worker and one raw worker, calls interleaved in rounds, median wall and CPU
 * (all threads) per call of
 * - a raw postMessage of a view of the SharedArrayBuffer, echoed (the suite's floor);
 * - pool.apply of a number: the pool's own cost per call;
 * - pool.apply of the same view: what a shared buffer adds, with no shared kind;
 * - pool.apply(handoff, a): the suite's case, a SharedNDArray there and back;
 * - the two pool.apply cases again on a pool whose worker sleeps once it replies (spinWait 0);
 * and the same steps in one thread (post and receive on a MessageChannel, the transport's
 * encode/decode), where no thread wakes up. Per call also how often the main thread and the
 * worker slept (voluntary context switches) and main was preempted: which of the VM's regimes
 * the run was in (pool-overhead.md, issue 14's latency). PLACE=same or split pins the threads
 * (placement.mjs).
 *
 * Run: npm run build && [PLACE=same|split] node bench/investigate/handoff-split.mjs [rounds]
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { Pool, fromDescriptors, toDescriptors, zeros } from '../../dist/index.js';
import { TID_SOURCE, place, switches, threadId } from './placement.mjs';

const ROUNDS = Number(process.argv[2] ?? 7);
const CALLS = 3000;
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

const pool = new Pool(new URL('../../dist/bench/support/handoff.worker.mjs', import.meta.url), { size: 1 });
// the same pool whose worker sleeps as soon as it replies (docs/pool.md, "Waiting for the next call")
const sleeper = new Pool(new URL('../../dist/bench/support/handoff.worker.mjs', import.meta.url), { size: 1, spinWait: 0 });
await Promise.all([pool.ready(), sleeper.ready()]);
const raw = new Worker(`const { parentPort } = require('node:worker_threads'); const tid = ${TID_SOURCE}; parentPort.on('message', (m) => parentPort.postMessage(m === 'tid' ? tid : m));`, { eval: true });
let answer;
raw.on('message', (m) => answer(m));
const echo = (m) => new Promise((resolve) => { answer = resolve; raw.postMessage(m); });
const main = threadId();
const rawTid = await echo('tid');
const poolTid = await pool.apply('threadId');
const sleeperTid = await sleeper.apply('threadId');
const placement = place(main, [rawTid, poolTid, sleeperTid]);

const a = zeros([2 ** 20], 'uint8').fill(1);
const view = a.data;
const threads = {
  'raw postMessage of a view, echoed': [() => echo(view), rawTid],
  'pool.apply(echo, 1)': [() => pool.apply('echo', 1), poolTid],
  'pool.apply(echo, view)': [() => pool.apply('echo', view), poolTid],
  'pool.apply(handoff, a)': [() => pool.apply('handoff', a), poolTid],
  'pool.apply(echo, 1), spinWait 0': [() => sleeper.apply('echo', 1), sleeperTid],
  'pool.apply(handoff, a), spinWait 0': [() => sleeper.apply('handoff', a), sleeperTid],
};
const results = Object.fromEntries(Object.keys(threads).map((k) => [k, []]));
for (const [f] of Object.values(threads)) for (let i = 0; i < 2000; i++) await f();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, [f, peer]] of Object.entries(threads)) {
    const main0 = switches(main);
    const peer0 = switches(peer);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) await f();
    const used = process.cpuUsage(cpu);
    const wall = (performance.now() - start) * 1000 / CALLS;
    const main1 = switches(main);
    const peer1 = switches(peer);
    results[name].push([wall, (used.user + used.system) / CALLS, (main1[0] - main0[0]) / CALLS, (main1[1] - main0[1]) / CALLS, (peer1[0] - peer0[0]) / CALLS]);
  }
}
console.log(`across threads (${placement}), per call: wall / CPU µs; main slept / main preempted / worker slept`);
for (const [name, runs] of Object.entries(results)) {
  const m = (i, digits) => median(runs.map((r) => r[i])).toFixed(digits);
  console.log(`  ${name.padEnd(38)} ${m(0, 1)} / ${m(1, 1)}; ${m(2, 2)} / ${m(3, 2)} / ${m(4, 2)}`);
}
await pool.terminate();
await sleeper.terminate();
await raw.terminate();

// One thread: the messages and the transport's work of a call and its reply, nothing else.
const { port1, port2 } = new MessageChannel();
const through = (args, fn) => {
  port1.postMessage([1, 'f', toDescriptors(args), 0]);
  const call = receiveMessageOnPort(port2).message;
  port2.postMessage([1, 0, toDescriptors(fn(...fromDescriptors(call[2])))]);
  return fromDescriptors(receiveMessageOnPort(port1).message[2]);
};
const single = {
  'a view, posted and echoed': () => { port1.postMessage(view); port2.postMessage(receiveMessageOnPort(port2).message); return receiveMessageOnPort(port1).message; },
  'a call and reply of the view': () => through([view], (v) => v),
  'a call and reply of the array': () => through([a], (x) => x),
};
console.log('one thread, per call: µs');
for (const [name, f] of Object.entries(single)) {
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < 50_000; i++) f();
    times.push((performance.now() - start) * 1000 / 50_000);
  }
  console.log(`  ${name.padEnd(36)} ${median(times).toFixed(2)}`);
}
port1.close();
