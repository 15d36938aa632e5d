/**
 * The shared kinds a worker knows by name only, until a value of one first arrives: then their
 * module loads, synchronously, and decodes it. The pool's and Process's bootstraps and
 * `shared-ndarray/worker` import this module instead of the kinds themselves, so a worker that is
 * sent only plain data never loads ndarray/, sync/, sharedctypes/ or the Manager's proxies (~200
 * of the ~225 KB a worker compiled before; docs/pool.md, start-up).
 *
 * Loaded by path, not imported: in the compiled package (scripts/bundle.mjs makes each path an
 * entry point) `require()` of an ES module gives the instance `import` gives (Node >= 20.19), so a
 * Lock decoded here is the class a worker module's own `import` of `shared-ndarray/sync` sees.
 * From source (tests, tsx) src/index.ts imports every kind, so these loaders are not reached.
 */
import { createRequire } from 'node:module';
import { deferKinds } from './transport/registry.js';

// made on the first kind's arrival: node:module (with the source-map support it loads) is not
// otherwise loaded in a worker, ~1 ms of its start
let require: NodeJS.Require | undefined;
function load(id: string): unknown {
  require ??= createRequire(import.meta.url);
  return require(id);
}

deferKinds(['ndarray'], () => load('./transport/ndarray-kind.js'));
/** Every other kind src/register-kinds.ts registers. */
deferKinds(
  ['Lock', 'RLock', 'Semaphore', 'Event', 'Condition', 'Barrier', 'Queue', 'SharedValue', 'SharedArray', 'Synchronized', 'SynchronizedArray'],
  () => load('./register-kinds.js'),
);
deferKinds(['ManagerProxy'], () => load('./manager/kind.js'));
deferKinds(['SharedMemory', 'MMap'], () => load('./io/kinds.js'));
