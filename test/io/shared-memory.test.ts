import { describe, expect, it } from 'vitest';
import { thrown } from '../support/assert.js';
import { ArgumentError, OSError, SharedMemory, ValueError, frombuffer } from '../../src/index.js';
import { shmOpen } from '../../src/io/native.js';
import { onDisk, shmNames } from '../support/files.js';

/**
 * Python's multiprocessing.shared_memory.SharedMemory (src/io/shared-memory.ts): create, attach,
 * close and unlink. Two Node processes sharing one SharedNDArray through it are in
 * shared-memory.thread.test.ts. Linux shows POSIX shared memory names as files in /dev/shm, which
 * the tests use to see what exists.
 */

const { fresh, track } = shmNames();

describe('SharedMemory', () => {
  it('create without a name: a Python-style generated name, the requested size, zero bytes', () => {
    const shm = new SharedMemory({ create: true, size: 1000 });
    track(shm.name);
    try {
      expect(shm.name).toMatch(/^psm_[0-9a-f]{8}$/);
      expect(shm.size).toBe(1000);
      expect(shm.buf).toBeInstanceOf(SharedArrayBuffer);
      expect(shm.buf.byteLength).toBe(1000);
      expect(new Uint8Array(shm.buf).every((x) => x === 0)).toBe(true);
      expect(onDisk(shm.name)).toBe(true);
    } finally {
      shm.unlink();
    }
    expect(onDisk(shm.name)).toBe(false);
  });

  it('attach by name, with or without the leading "/": the same memory, at the block\'s own size', () => {
    const name = fresh();
    const created = new SharedMemory({ name: `/${name}`, create: true, size: 24 });
    expect(created.name).toBe(name);
    const attached = new SharedMemory({ name, size: 1 }); // size is ignored when attaching, as in Python
    const again = new SharedMemory(`/${name}`);
    expect(attached.size).toBe(24);
    expect(again.size).toBe(24);
    const a = frombuffer(created.buf, { dtype: 'float64' });
    a.set(2, 3.25);
    expect(new Float64Array(attached.buf)[2]).toBe(3.25);
    new Float64Array(again.buf)[0] = -1;
    expect(a.get(0)).toBe(-1);
    created.unlink();
    // unlinking removes the name; the memory stays valid for those who have it
    expect(onDisk(name)).toBe(false);
    expect(new Float64Array(attached.buf)[2]).toBe(3.25);
    expect(thrown(() => new SharedMemory({ name }))).toMatchObject({ name: 'OSError', code: 'ENOENT' });
  });

  it('create refuses a name that exists (OSError EEXIST) and leaves that block alone', () => {
    const name = fresh();
    const first = new SharedMemory({ name, create: true, size: 8 });
    new Uint8Array(first.buf)[0] = 42;
    const e = thrown(() => new SharedMemory({ name, create: true, size: 16 }));
    expect(e).toBeInstanceOf(OSError);
    expect(e.message).toBe(`shmOpen: shm_open '/${name}' failed: file already exists (EEXIST)`);
    expect(e).toMatchObject({ code: 'EEXIST', syscall: 'shm_open', path: `/${name}` });
    expect(onDisk(name)).toBe(true);
    expect(new Uint8Array(new SharedMemory(name).buf)[0]).toBe(42);
    first.unlink();
  });

  it('close drops buf (ValueError after), keeps views working, never unlinks; unlink works after close, once', () => {
    const name = fresh();
    const shm = new SharedMemory({ name, create: true, size: 4 });
    const view = new Uint8Array(shm.buf);
    shm.close();
    shm.close();
    expect(shm.closed).toBe(true);
    const e = thrown(() => shm.buf);
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe(`SharedMemory.buf: the SharedMemory "${name}" is closed`);
    view[3] = 9;
    expect(onDisk(name)).toBe(true);
    expect(new Uint8Array(new SharedMemory(name).buf)[3]).toBe(9);
    shm.unlink();
    expect(onDisk(name)).toBe(false);
    expect(thrown(() => shm.unlink())).toMatchObject({ name: 'OSError', code: 'ENOENT', syscall: 'shm_unlink' });
  });

  it('`using` closes at the end of the block and does not unlink', () => {
    const name = fresh();
    let outer: SharedMemory;
    {
      using shm = new SharedMemory({ name, create: true, size: 4 });
      outer = shm;
    }
    expect(outer.closed).toBe(true);
    expect(onDisk(name)).toBe(true);
    outer.unlink();
  });

  it('validates its options as Python does', () => {
    const cases: Array<[() => unknown, string | RegExp]> = [
      [() => new SharedMemory({ create: true }), "SharedMemory: invalid argument 'options.size': expected a positive size to create a block, got 0"],
      [() => new SharedMemory({ create: true, size: -1 }), "SharedMemory: invalid argument 'options.size': expected a nonnegative integer, got -1"],
      [() => new SharedMemory({ create: true, size: 1.5 }), "SharedMemory: invalid argument 'options.size': expected a nonnegative integer, got 1.5"],
      [() => new SharedMemory(), "SharedMemory: invalid argument 'options.name': a name is required to attach (it can only be omitted when create is true)"],
      [() => new SharedMemory({ name: 'a/b' }), `SharedMemory: invalid argument 'name': expected 1 to 254 characters other than '/' and NUL, after an optional leading '/', got "a/b"`],
      [() => new SharedMemory({ name: '/' }), `SharedMemory: invalid argument 'name': expected 1 to 254 characters other than '/' and NUL, after an optional leading '/', got "/"`],
      [() => new SharedMemory({ name: 'x'.repeat(255) }), `SharedMemory: invalid argument 'name': expected 1 to 254 characters other than '/' and NUL, after an optional leading '/', got "${'x'.repeat(255)}"`],
      [() => new SharedMemory({ name: 5 as never }), "SharedMemory: invalid argument 'name': expected a string, got 5"],
      [() => new SharedMemory({ name: 'x', create: 1 as never }), "SharedMemory: invalid argument 'options.create': expected a boolean, got 1"],
      [() => new SharedMemory({ name: 'x', track: false } as never), `SharedMemory: invalid argument 'options': unknown option "track" (expected one of 'name', 'create', 'size')`],
      [() => shmOpen('x', 'yes' as never, 1), `shmOpen: invalid argument 'create': expected a boolean, got "yes"`],
      [() => SharedMemory.fromDescriptor({ name: 'x' } as never), `SharedMemory.fromDescriptor: invalid argument 'descriptor': expected { name, buf } from toDescriptor(), got an object`],
      [() => SharedMemory.fromDescriptor({ name: 5, buf: new SharedArrayBuffer(8) } as never), /^SharedMemory\.fromDescriptor: invalid argument 'descriptor'/],
    ];
    for (const [call, message] of cases) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(ArgumentError);
      if (typeof message === 'string') expect(e.message).toBe(message);
      else expect(e.message).toMatch(message);
    }
  });
});
