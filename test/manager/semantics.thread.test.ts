import { afterAll, beforeAll } from 'vitest';
import { Manager } from '../../src/index.js';
import { sharedSemantics } from '../support/manager-semantics.js';

/**
 * The embedded manager's objects against Python's semantics, from the main thread, in both forms
 * (blocking and async): the shared suite (test/support/manager-semantics.ts), which
 * redis-semantics.thread.test.ts runs on the Redis store. Crossing into other threads is in
 * crossing.thread.test.ts.
 */

let manager: Manager;
beforeAll(async () => {
  // few slots, so that calls in flight at once wrap around them and wait for them
  manager = await Manager.start({ slots: 16 });
});
afterAll(async () => {
  await manager.shutdown();
});

sharedSemantics(() => manager);
