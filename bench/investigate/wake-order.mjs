/**
 * Issue 14's latency question: does work done right after a postMessage (rather than before it)
 * cost a round trip a thread wake-up? Raw worker_threads echoes, one call in flight, where either
 * side spins SPIN µs before or after its postMessage, against the plain echo; calls interleaved
 * in rounds. Per call: median wall and CPU (all threads), and how often the main thread and the
 * worker slept (voluntary context switches) or main was preempted (involuntary). PLACE=same or
 * split pins the threads (placement.mjs).
 *
 * Run: [PLACE=same|split] node bench/investigate/wake-order.mjs [rounds] [spin µs]
 */
import { Worker } from 'node:worker_threads';
import { TID_SOURCE, place, switches, threadId } from './placement.mjs';

const ROUNDS = Number(process.argv[2] ?? 7);
const SPIN = Number(process.argv[3] ?? 3);
const CALLS = 3000;
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

/** Busy for about `us` µs: a clock loop, the same on both threads. */
const spin = (us) => {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
};

// `where`: the worker spins before or after its reply, or not at all
function echo(where) {
  const worker = new Worker(`
    const { parentPort } = require('node:worker_threads');
    const until = (us) => { const end = performance.now() + us / 1000; while (performance.now() < end); };
    const tid = ${TID_SOURCE};
    parentPort.on('message', (m) => {
      if (m === 'tid') { parentPort.postMessage(tid); return; }
      ${where === 'before' ? `until(${SPIN});` : ''}
      parentPort.postMessage(m);
      ${where === 'after' ? `until(${SPIN});` : ''}
    });`, { eval: true });
  let answer;
  worker.on('message', (m) => answer(m));
  const send = (m) => new Promise((resolve) => { answer = resolve; worker.postMessage(m); });
  return { worker, send };
}

const plain = echo('none');
const workerBefore = echo('before');
const workerAfter = echo('after');
const cases = {
  'plain echo': { peer: plain, f: () => plain.send(1) },
  [`main spins ${SPIN} µs before post`]: { peer: plain, f: () => { spin(SPIN); return plain.send(1); } },
  [`main spins ${SPIN} µs after post`]: { peer: plain, f: () => { const p = plain.send(1); spin(SPIN); return p; } },
  [`worker spins ${SPIN} µs before reply`]: { peer: workerBefore, f: () => workerBefore.send(1) },
  [`worker spins ${SPIN} µs after reply`]: { peer: workerAfter, f: () => workerAfter.send(1) },
};
const mainTid = threadId();
for (const c of Object.values(cases)) c.peerTid = Number(await c.peer.send('tid'));
const placement = place(mainTid, Object.values(cases).map((c) => c.peerTid));

const results = Object.fromEntries(Object.keys(cases).map((k) => [k, { wall: [], cpu: [], mainSleeps: [], mainPreempted: [], workerSleeps: [] }]));
for (const { f } of Object.values(cases)) for (let i = 0; i < 2000; i++) await f();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, { f, peerTid }] of Object.entries(cases)) {
    const main0 = switches(mainTid);
    const worker0 = switches(peerTid);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) await f();
    const wall = (performance.now() - start) * 1000 / CALLS;
    const used = process.cpuUsage(cpu);
    const main1 = switches(mainTid);
    const worker1 = switches(peerTid);
    const r = results[name];
    r.wall.push(wall);
    r.cpu.push((used.user + used.system) / CALLS);
    r.mainSleeps.push((main1[0] - main0[0]) / CALLS);
    r.mainPreempted.push((main1[1] - main0[1]) / CALLS);
    r.workerSleeps.push((worker1[0] - worker0[0]) / CALLS);
  }
}
console.log(`threads ${placement}; per call, medians of ${ROUNDS} rounds of ${CALLS}:`);
console.log(`  ${'case'.padEnd(34)} wall µs  CPU µs  main sleeps  main preempted  worker sleeps`);
for (const [name, r] of Object.entries(results)) {
  console.log(`  ${name.padEnd(34)} ${median(r.wall).toFixed(1).padStart(7)} ${median(r.cpu).toFixed(1).padStart(7)} ${median(r.mainSleeps).toFixed(2).padStart(12)} ${median(r.mainPreempted).toFixed(2).padStart(15)} ${median(r.workerSleeps).toFixed(2).padStart(14)}`);
}
await Promise.all([plain, workerBefore, workerAfter].map(({ worker }) => worker.terminate()));
