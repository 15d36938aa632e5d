import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** Puts the integers from `start` up to `stop` (exclusive), as numbers or as { id } objects. */
  produce(queue, start, stop, asObjects = false) {
    for (let i = start; i < stop; i++) queue.put(asObjects ? { id: i, text: `item ${i}` } : i);
    return stop - start;
  },
  /** Takes items until it reads `sentinel`; returns what it took. */
  consume(queue, sentinel = -1) {
    const taken = [];
    for (;;) {
      const item = queue.get();
      const id = typeof item === 'object' && item !== null ? item.id : item;
      if (id === sentinel) return taken;
      taken.push(id);
      queue.taskDone?.();
    }
  },
});
