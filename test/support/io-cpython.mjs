// Worker for test/io/cpython-conformance.thread.test.ts: the child functions of CPython's
// _TestSharedMemory (Lib/test/_test_multiprocessing.py). Plain .mjs: workers load dist/.
import { SharedMemory } from 'shared-ndarray';
import { defineWorker } from 'shared-ndarray/worker';

export default defineWorker({
  /** _TestSharedMemory._attach_existing_shmem_then_write: by name, or the object itself */
  attachExistingShmemThenWrite(shmemNameOrObj, binaryData) {
    const localSms = typeof shmemNameOrObj === 'string' ? new SharedMemory(shmemNameOrObj) : shmemNameOrObj;
    if (!(localSms instanceof SharedMemory)) throw new TypeError(`expected a SharedMemory, got ${Object.prototype.toString.call(localSms)}`);
    new Uint8Array(localSms.buf).set(binaryData);
    localSms.close();
  },
  /** what a SharedMemory passed here is: its class, name, size and first bytes */
  describe(sms) {
    return { isSharedMemory: sms instanceof SharedMemory, name: sms.name, size: sms.size, head: [...new Uint8Array(sms.buf, 0, 6)] };
  },
});
