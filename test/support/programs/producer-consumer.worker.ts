import type { Queue } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  // def producer(q, start, n):
  //     for i in range(start, start + n):
  //         q.put(i * i)
  producer(q: Queue<number | null>, start: number, n: number): void {
    for (let i = start; i < start + n; i++) q.put(i * i);
  },

  // def consumer(q, results):
  //     count, total = 0, 0
  //     while (item := q.get()) is not None:
  //         count += 1; total += item
  //     results.put((count, total))
  consumer(q: Queue<number | null>, results: Queue<[number, number]>): void {
    let count = 0;
    let total = 0;
    for (let item = q.get(); item !== null; item = q.get()) {
      count += 1;
      total += item;
    }
    results.put([count, total]);
  },
});
