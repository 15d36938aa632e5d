// A thread whose own async calls wait in the manager (gets on an empty Queue, more of them than
// the manager has slots) and that then makes blocking calls (the puts that answer them): the
// blocking calls must still find a slot. Run as a child process by
// test/manager/handoff-stress.thread.test.ts, which kills it if it hangs.
import { Manager } from 'shared-ndarray';

const SLOTS = 8;
const manager = await Manager.start({ slots: SLOTS });
try {
  const q = manager.Queue();
  const gets = Array.from({ length: 2 * SLOTS }, () => q.getAsync());
  // let every get reach the manager (or wait for a slot) before this thread stops its event loop
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (let i = 0; i < gets.length; i++) q.put(i);
  const got = await Promise.all(gets);
  process.stdout.write(JSON.stringify(got.sort((a, b) => a - b)));
} finally {
  await manager.shutdown();
}
