/**
 * Every shared kind, registered with the transport: importing this module is what makes a Lock,
 * Queue, Value or SharedNDArray anywhere in a pool task's arguments, a Process's args or
 * `toDescriptors(workerData)` arrive in the other thread as the same shared object. The package
 * entry and every worker bootstrap import it; it sits above the folders whose kinds it lists, so
 * `transport/` stays below them all.
 */
import type { CDataDescriptor } from './sharedctypes/descriptor.js';
import { SharedArray } from './sharedctypes/shared-array.js';
import { SharedValue } from './sharedctypes/shared-value.js';
import { Synchronized, SynchronizedArray, type SynchronizedDescriptor } from './sharedctypes/synchronized.js';
import { registerKind } from './transport/transport.js';
import './transport/ndarray-kind.js';
import { Barrier } from './sync/barrier.js';
import { Condition } from './sync/condition.js';
import { Event } from './sync/event.js';
import { Lock } from './sync/lock.js';
import { RLock } from './sync/rlock.js';
import { Semaphore } from './sync/semaphore.js';
import { QueueBase } from './sync/queue.js';

interface Shareable<D> {
  toDescriptor(): D;
}

/** A class whose instances cross as `toDescriptor()` and come back through `fromDescriptor`. */
// biome-ignore lint/complexity/noBannedTypes: classes with private constructors fit no `new` signature; cls is only an instanceof operand
function share<T extends Shareable<D>, D>(name: string, cls: Function & { prototype: T }, fromDescriptor: (d: D) => T): void {
  registerKind<T, D>({
    name,
    is: (value): value is T => value instanceof cls,
    encode: (value) => value.toDescriptor(),
    decode: fromDescriptor,
  });
}

share('Lock', Lock, Lock.fromDescriptor);
share('RLock', RLock, RLock.fromDescriptor);
share('Semaphore', Semaphore, Semaphore.fromDescriptor);
share('Event', Event, Event.fromDescriptor);
share('Condition', Condition, Condition.fromDescriptor);
share('Barrier', Barrier, Barrier.fromDescriptor);
share('Queue', QueueBase, QueueBase.fromDescriptor);
share<SharedValue, CDataDescriptor>('SharedValue', SharedValue, SharedValue.fromDescriptor);
share<SharedArray, CDataDescriptor>('SharedArray', SharedArray, SharedArray.fromDescriptor);
share<Synchronized, SynchronizedDescriptor>('Synchronized', Synchronized, Synchronized.fromDescriptor);
share<SynchronizedArray, SynchronizedDescriptor>('SynchronizedArray', SynchronizedArray, SynchronizedArray.fromDescriptor);
