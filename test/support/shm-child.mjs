// Forked by test/io/shared-memory.thread.test.ts: a separate Node process that attaches to the parent's
// shared memory by name, checks what the parent wrote, writes its own values, and exits without
// unlinking (it is not the creator). argv: name, rows, cols, [create-and-leave].
import { SharedMemory, frombuffer } from 'shared-ndarray';

const [name, rows, cols, mode] = process.argv.slice(2);
if (mode === 'create-and-leave') {
  // a creator that exits without unlink(): nothing removes the name behind its back
  const shm = new SharedMemory({ name, create: true, size: 64 });
  new Uint8Array(shm.buf).fill(7);
  shm.close();
  process.send({ created: shm.name }, () => process.disconnect());
} else {
  const shm = new SharedMemory({ name });
  const a = frombuffer(shm.buf, { dtype: 'float64', count: Number(rows) * Number(cols) }).reshape(Number(rows), Number(cols));
  let parentSum = 0;
  for (const row of a.toArray()) for (const x of row) parentSum += x;
  for (let r = 0; r < a.shape[0]; r++) for (let c = 0; c < a.shape[1]; c++) a.set(r, c, a.get(r, c) * 10 + 0.5);
  shm.close();
  process.send({ pid: process.pid, size: shm.size, parentSum }, () => process.disconnect());
}
