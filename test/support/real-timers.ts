/**
 * Setup file of every project, whose files share their processes (vitest.config.ts): a file that
 * leaves a fake clock's setTimeout behind stalls every timer of the next file (its polls, its
 * pools' start timers) until the tests' time limit, far from the cause. Say so at once instead.
 */
import { setTimeout as realSetTimeout } from 'node:timers';
import { beforeAll } from 'vitest';

beforeAll(() => {
  if (globalThis.setTimeout !== realSetTimeout) {
    throw new Error('globalThis.setTimeout is not the real one: a file run before this one in this process left fake timers (or a spy on them) installed');
  }
});
