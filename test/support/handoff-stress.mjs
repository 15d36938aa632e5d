// The Manager hand-off under concurrent load (test/manager/handoff-stress.thread.test.ts runs it
// as a child process, so that a call that never returns, even a blocking one on the main thread,
// fails the test instead of hanging it). Usage: node handoff-stress.mjs '{"rounds":N,"bound":ms,"url":...}'.
// One process for the file's three tests, one after another: the stress run on the embedded
// store, asyncSlots() below, then (with a url) the stress run on Redis; a JSON line for each,
// `{"embedded": report}`, `{"slots": [...]}`, `{"redis": report}`.
//
// Worker threads make blocking calls while this process's main thread makes blocking calls and,
// between them, async calls from several tasks at once: dict writes read back, list appends, a
// Value incremented under a Lock (exact only if every acquire and release arrives), atomic adds,
// a Queue each worker puts to and gets from, and a bounded Queue fed by an async task and drained
// by the workers (both blocking puts and blocking gets). Values larger than a slot, so messages
// go in chunks. Every count must add up exactly. A watchdog thread kills the process when any caller's call takes longer than
// `bound` ms, after writing what the hand-off's shared words held then (stderr).
//
// The main thread never makes a blocking call on an object that one of its own async tasks may
// hold (the Lock, the bounded Queue): that blocking call would stop the event loop the task needs
// to let go of it, a deadlock of the program, not of the manager.
import { writeSync } from 'node:fs';
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { Manager, fromDescriptors, toDescriptors } from 'shared-ndarray';

const WORKERS = 3;
/** Participants: the workers, the main thread's blocking loop, its async tasks. */
const MAIN = WORKERS;
const ASYNC = [WORKERS + 1, WORKERS + 2, WORKERS + 3];
const PARTICIPANTS = WORKERS + 4;
/** Bounded queue items each worker takes (fed by async task 0). */
const feedPerWorker = (rounds) => Math.ceil(rounds / 4);

/** Marks participant `p` as starting call `op` (a progress count the watchdog reads). */
function step(progress, p, op) {
  Atomics.store(progress, 2 * p + 1, op);
  Atomics.add(progress, 2 * p, 1);
}

function pad(k) {
  return 'x'.repeat((k * 37) % 1500);
}

function runWorker() {
  const { w, rounds, bound, shared, progress: progressBuffer } = workerData;
  const progress = new Int32Array(progressBuffer);
  const { d, l, lock, v, count, q, feed } = fromDescriptors(shared);
  let wrong = 0, got = 0, fed = 0;
  for (let k = 0; k < rounds; k++) {
    step(progress, w, 1);
    d.set(`w${w}:${k}`, { k, text: pad(k) });
    step(progress, w, 2);
    const back = d.get(`w${w}:${k}`);
    if (back?.k !== k || back.text !== pad(k)) wrong++;
    step(progress, w, 3);
    l.append(w * 1_000_000 + k);
    step(progress, w, 4);
    if (!lock.acquire({ timeout: bound })) throw new Error(`worker ${w}: Lock.acquire timed out`);
    step(progress, w, 5);
    const before = v.get();
    step(progress, w, 6);
    v.set(before + 1);
    step(progress, w, 7);
    lock.release();
    step(progress, w, 8);
    count.add(1);
    step(progress, w, 9);
    q.put(w * 1_000_000 + k);
    step(progress, w, 10);
    got += q.get({ timeout: bound });
    if (k % 4 === 0) {
      step(progress, w, 11);
      fed += feed.get({ timeout: bound });
    }
  }
  Atomics.store(progress, 2 * w + 1, -1);
  return { wrong, got, fed };
}

/** What the shared words of the embedded hand-off held (protocol.ts), for a report. */
function dumpControl(control) {
  const slots = control[3];
  const lines = [`STATE=${control[0]} DOORBELL=${control[1]} SERVER_SLEEPING=${control[2]} SLOTS=${slots} FREED=${control[5]}`];
  for (let s = 0; s < slots; s++) {
    const base = 16 + 5 * s;
    if (control[base] !== 0) lines.push(`slot ${s}: state=${control[base]} length=${control[base + 1]} flags=${control[base + 2]} waiting=${control[base + 3]} seq=${control[base + 4]}`);
  }
  const pending = [];
  for (let word = 0; word < Math.ceil(slots / 32); word++) pending.push(control[16 + 5 * slots + word].toString(2));
  lines.push(`pending bits: ${pending.join(' ')}`);
  return lines.join('\n');
}

function runWatchdog() {
  const { bound, progress: progressBuffer, stop: stopBuffer, control: controlBuffer } = workerData;
  const progress = new Int32Array(progressBuffer);
  const stop = new Int32Array(stopBuffer);
  const control = new Int32Array(controlBuffer);
  const seen = new Array(PARTICIPANTS).fill(-1);
  const since = new Array(PARTICIPANTS).fill(performance.now());
  while (Atomics.wait(stop, 0, 0, 50) !== 'not-equal' && Atomics.load(stop, 0) === 0) {
    const now = performance.now();
    for (let p = 0; p < PARTICIPANTS; p++) {
      const n = Atomics.load(progress, 2 * p), op = Atomics.load(progress, 2 * p + 1);
      if (n !== seen[p] || op === -1 || op === 0) {
        seen[p] = n;
        since[p] = now;
      } else if (now - since[p] > bound) {
        const who = p < WORKERS ? `worker ${p}` : p === MAIN ? 'the main thread (blocking)' : `main-thread async task ${p - MAIN - 1}`;
        const all = Array.from({ length: PARTICIPANTS }, (_, i) => `${Atomics.load(progress, 2 * i)}@${Atomics.load(progress, 2 * i + 1)}`).join(' ');
        // straight to the file descriptor: the main thread, which forwards a worker's stderr, may be the one stuck
        writeSync(2, `handoff-stress: ${who} has waited more than ${bound} ms in call ${op} (its call #${n}); calls@op per participant: ${all}\n${dumpControl(control)}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
    }
  }
}

/** The first `control` SharedArrayBuffer in a proxy's descriptor (the embedded store's words). */
function findControl(value) {
  if (typeof value !== 'object' || value === null) return undefined;
  if (value.control instanceof SharedArrayBuffer) return value.control;
  for (const v of Object.values(value)) {
    const found = findControl(v);
    if (found !== undefined) return found;
  }
  return undefined;
}

async function stress(rounds, bound, url) {
  const options = { slots: PARTICIPANTS + 1, slotBytes: 512 };
  const manager = await Manager.start(url === undefined ? options : { ...options, url, namespace: 'handoff-stress' });
  try {
    return await exercise(manager, rounds, bound);
  } finally {
    await manager.shutdown();
  }
}

/**
 * A thread whose own async calls wait in the manager (gets on an empty Queue, more of them than
 * the manager has slots) and that then makes blocking calls (the puts that answer them): the
 * blocking calls must still find a slot. Returns what the gets got, sorted.
 */
async function asyncSlots() {
  const SLOTS = 8;
  const manager = await Manager.start({ slots: SLOTS });
  try {
    const q = manager.Queue();
    const gets = Array.from({ length: 2 * SLOTS }, () => q.getAsync());
    // let every get reach the manager (or wait for a slot) before this thread stops its event loop
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < gets.length; i++) q.put(i);
    const got = await Promise.all(gets);
    return got.sort((a, b) => a - b);
  } finally {
    await manager.shutdown();
  }
}

async function runMain() {
  const { rounds, bound, url } = JSON.parse(process.argv[2] ?? '{}');
  const report = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
  report({ embedded: await stress(rounds, bound) });
  report({ slots: await asyncSlots() });
  if (url !== undefined) report({ redis: await stress(rounds, bound, url) });
}

async function exercise(manager, rounds, bound) {
  const objects = {
    d: manager.dict(), l: manager.list(), lock: manager.Lock(), v: manager.Value('i', 0), count: manager.Value('i', 0),
    q: manager.Queue(), feed: manager.Queue(4),
  };
  const { d, l, lock, v, count, q, feed } = objects;
  const progress = new Int32Array(new SharedArrayBuffer(8 * PARTICIPANTS));
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const shared = toDescriptors(objects);
  const me = new URL(import.meta.url);
  const watchdog = new Worker(me, { workerData: { role: 'watchdog', bound, progress: progress.buffer, stop: stop.buffer, control: findControl(shared) } });
  const workers = Array.from({ length: WORKERS }, (_, w) => new Worker(me, { workerData: { role: 'worker', w, rounds, bound, shared, progress: progress.buffer } }));
  const results = workers.map((worker) => new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a worker exited (${code}) before its result`)));
  }));

  let wrong = 0;
  const mainRounds = rounds;
  const fedTotal = WORKERS * feedPerWorker(rounds);
  const tasks = [
    (async () => {
      // the bounded queue's producer: its puts wait while the workers lag
      let sum = 0;
      for (let j = 0; j < fedTotal; j++) {
        step(progress, ASYNC[0], 1);
        await feed.putAsync(j + 1, { timeout: bound });
        sum += j + 1;
      }
      Atomics.store(progress, 2 * ASYNC[0] + 1, -1);
      return sum;
    })(),
    (async () => {
      for (let k = 0; k < mainRounds; k++) {
        step(progress, ASYNC[1], 1);
        await lock.acquireAsync({ timeout: bound });
        step(progress, ASYNC[1], 2);
        const before = await v.getAsync();
        step(progress, ASYNC[1], 3);
        await v.setAsync(before + 1);
        step(progress, ASYNC[1], 4);
        await lock.releaseAsync();
      }
      Atomics.store(progress, 2 * ASYNC[1] + 1, -1);
    })(),
    (async () => {
      for (let k = 0; k < mainRounds; k++) {
        step(progress, ASYNC[2], 1);
        await d.setAsync(`a:${k}`, { k, text: pad(k) });
        step(progress, ASYNC[2], 2);
        const back = await d.getAsync(`a:${k}`);
        if (back?.k !== k || back.text !== pad(k)) wrong++;
        step(progress, ASYNC[2], 3);
        await l.appendAsync(-1 - k);
        step(progress, ASYNC[2], 4);
        await count.addAsync(1);
      }
      Atomics.store(progress, 2 * ASYNC[2] + 1, -1);
    })(),
  ];
  // the main thread's blocking calls, a few at a time between turns of its event loop
  for (let k = 0; k < mainRounds; k++) {
    step(progress, MAIN, 1);
    d.set(`m:${k}`, { k, text: pad(k) });
    step(progress, MAIN, 2);
    const back = d.get(`m:${k}`);
    if (back?.k !== k || back.text !== pad(k)) wrong++;
    step(progress, MAIN, 3);
    l.append(-1_000_000 - k);
    step(progress, MAIN, 4);
    count.add(1);
    if (k % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
  }
  Atomics.store(progress, 2 * MAIN + 1, -1);
  const [fedSum] = await Promise.all(tasks);
  const answers = await Promise.all(results);
  Atomics.store(stop, 0, 1);
  Atomics.notify(stop, 0);
  await watchdog.terminate();

  const expectedList = [];
  for (let w = 0; w < WORKERS; w++) for (let k = 0; k < rounds; k++) expectedList.push(w * 1_000_000 + k);
  for (let k = 0; k < mainRounds; k++) expectedList.push(-1 - k, -1_000_000 - k);
  const list = l.toArray();
  const sorted = (a) => [...a].sort((x, y) => x - y);
  const putSum = expectedList.filter((x) => x >= 0).reduce((a, b) => a + b, 0);
  const report = {
    wrongReads: wrong + answers.reduce((a, r) => a + r.wrong, 0),
    listExact: JSON.stringify(sorted(list)) === JSON.stringify(sorted(expectedList)),
    listLength: list.length,
    expectedListLength: expectedList.length,
    lockedCount: v.get(),
    expectedLockedCount: WORKERS * rounds + mainRounds,
    addedCount: count.get(),
    expectedAddedCount: WORKERS * rounds + 2 * mainRounds,
    queueSumGot: answers.reduce((a, r) => a + r.got, 0),
    queueSumPut: putSum,
    queueLeft: q.qsize(),
    feedSumGot: answers.reduce((a, r) => a + r.fed, 0),
    feedSumPut: fedSum,
    dictLength: d.len(),
    expectedDictLength: (WORKERS + 2) * rounds,
  };
  for (const worker of workers) await worker.terminate();
  return report;
}

if (isMainThread) {
  await runMain();
} else if (workerData.role === 'watchdog') {
  runWatchdog();
} else {
  const { parentPort } = await import('node:worker_threads');
  parentPort.postMessage(runWorker());
}
