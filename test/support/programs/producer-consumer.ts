// A literal port of a Python producer/consumer program:
//
//   if __name__ == '__main__':
//       q, results = Queue(), Queue()
//       c = Process(target=consumer, args=(q, results))
//       c.start()
//       with Pool(2) as pool:
//           jobs = [pool.apply_async(producer, (q, k * 1000, 1000)) for k in range(4)]
//           for job in jobs:
//               job.get()
//           q.put(None)
//           c.join()
//           count, total = results.get()
//           for k in range(4):
//               pool.apply_async(producer, (q, k * 10, 2))
//           first = sorted(q.get() for _ in range(8))   # the main thread blocks on what 4 tasks put
//       print(count, total, c.exitcode, first)
import { Pool, Process, Queue } from 'shared-ndarray';

type Module = typeof import('./producer-consumer.worker.js');
const module = new URL('./producer-consumer.worker.js', import.meta.url);

const q = new Queue<number | null>();
const results = new Queue<[number, number]>();
const c = new Process<Module>({ module, fn: 'consumer', args: [q, results] });
c.start();
const pool = new Pool<Module>(module, { size: 2 });
let count: number;
let total: number;
let first: Array<number | null>;
try {
  const jobs = [0, 1, 2, 3].map((k) => pool.applyAsync('producer', [q, k * 1000, 1000]));
  for (const job of jobs) await job.get();
  q.put(null);
  await c.join();
  [count, total] = results.get();
  for (let k = 0; k < 4; k++) pool.applyAsync('producer', [q, k * 10, 2]);
  first = Array.from({ length: 8 }, () => q.get()).sort((a, b) => a! - b!);
} finally {
  pool.close();
  await pool.join();
}
console.log(JSON.stringify({ count, total, exitCode: c.exitCode, first }));
