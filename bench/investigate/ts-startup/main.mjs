// One measurement of ts-worker-startup.mjs: a pool of 2 from construction to ready(), then a
// Process from start() to join(), with the worker module given as argv[2] ('ts' or 'mjs').
import { Pool, Process } from 'shared-ndarray';

const module = new URL(`./w.worker.${process.argv[2]}`, import.meta.url);
const cpuMs = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
let cpu = process.cpuUsage();
let t = performance.now();
const pool = new Pool(module, { size: 2 });
await pool.ready();
const poolWall = performance.now() - t;
const poolCpu = cpuMs(cpu);
if (await pool.apply('twice', 21) !== 42) throw new Error('wrong result');
await pool.terminate();
cpu = process.cpuUsage();
t = performance.now();
const p = new Process({ module, fn: 'noop' });
p.start();
await p.join();
console.log(JSON.stringify({ poolWall, poolCpu, processWall: performance.now() - t, processCpu: cpuMs(cpu) }));
