import { defineWorker } from 'shared-ndarray/worker';
import { Lock } from 'shared-ndarray';

export default defineWorker({
  /** Puts the integers from `start` up to `stop` (exclusive), as numbers or as { id } objects. */
  produce(queue, start, stop, asObjects = false) {
    for (let i = start; i < stop; i++) queue.put(asObjects ? { id: i, text: `item ${i}` } : i);
    return stop - start;
  },
  /** Puts `{ result: array, id }`, as a worker returning its result through a queue would; reports the error. */
  putShared(queue, array) {
    try {
      queue.put({ result: array, id: 1 });
      return 'put';
    } catch (error) {
      return `${error.name}: ${error.message}`;
    }
  },
  /** What kind of queue arrived, and whether it shares memory with the sender's. */
  describe(queue) {
    const item = queue.get();
    queue.put(`${queue.constructor.name} got ${item}`);
    return queue.constructor.name;
  },
  /** Puts `count` items alternating numbers, objects and typed arrays, tagged by producer. */
  produceMixed(queue, producer, count) {
    for (let i = 0; i < count; i++) {
      const id = producer * 1_000_000 + i;
      const kind = i % 3;
      queue.put(kind === 0 ? id : kind === 1 ? { id, text: 'x'.repeat(i % 50) } : Float64Array.of(id, -id));
    }
    return count;
  },
  /**
   * Dies holding the queue's internal lock, as a thread terminated inside a put or get would;
   * `corrupt` first leaves the counters saying one item more than the ring holds.
   */
  dieInside(queue, corrupt) {
    const { buffer, table } = queue.toDescriptor();
    Lock.fromDescriptor({ buffer, index: 0, table }).acquire();
    if (corrupt) new Int32Array(buffer, 0, 16)[3] += 1;
    process.exit(1);
  },
  /** Takes items until it reads `sentinel`; returns what it took. */
  consume(queue, sentinel = -1) {
    const taken = [];
    for (;;) {
      const item = queue.get();
      const id = item instanceof Float64Array ? item[0] : typeof item === 'object' && item !== null ? item.id : item;
      if (id === sentinel) return taken;
      taken.push(id);
      queue.taskDone?.();
    }
  },
});
