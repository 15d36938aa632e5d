// A plain worker module for test/transport/deferred-kinds.thread.test.ts: it imports only
// shared-ndarray/worker, so whatever else its thread loads, the pool's bootstrap loaded.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { defineWorker } from 'shared-ndarray/worker';

/**
 * The package sources compiled into every file this thread has loaded: the inspector reports each
 * script parsed so far, and each of the package's bundled files names its sources in its map.
 */
function loadedSources() {
  const urls = [];
  const session = new Session();
  session.connect();
  session.on('Debugger.scriptParsed', ({ params }) => {
    if (params.url.startsWith('file:') && params.url.includes('/dist/')) urls.push(params.url);
  });
  // enabling replays a scriptParsed event for every script already parsed, synchronously
  session.post('Debugger.enable');
  session.post('Debugger.disable');
  session.disconnect();
  const sources = new Set();
  for (const url of urls) {
    let map;
    try {
      map = JSON.parse(readFileSync(new URL(`${url}.map`), 'utf8'));
    } catch {
      continue;
    }
    for (const source of map.sources) sources.add(source.replace(/^(\.\.\/)+/, ''));
  }
  return [...sources].sort();
}

export default defineWorker({
  loadedSources,
  echo: (x) => x,
  fill(array, value) {
    array.fill(value);
  },
  /** Uses each shared object as its own kind, so each must have arrived live, then reports them. */
  async use({ lock, queue, value, array, dict }) {
    if (!lock.acquire({ block: false })) throw new Error('use: the lock was held');
    lock.release();
    queue.put('from the worker');
    value.value = 42;
    array[1] = 7;
    await dict.setAsync('worker', 'was here');
    return [lock, queue, value, array, dict].map((x) => x.constructor.name);
  },
  giveBack: (x) => x,
});
