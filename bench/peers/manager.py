"""
Python's multiprocessing.Manager() doing what the `manager` bench suite measures on this package's
Manager: a dict set and get, a list append, and a Queue put then get, each one call of a proxy
(one round trip to the manager's server process, as every Python proxy call is). The calls are
made from this process, a client of the manager like any worker process: a proxy call costs the
same from either. Keys cycle through 100 ints and values are ints, as in the suite.

The suite starts it once as `python3 bench/peers/manager.py` and drives it over stdin/stdout, so
that its batches take turns with the suite's own cases (a background load then hits both alike):
it prints `ready` once the manager is up, then for each line `CASE COUNT` (CASE one of dict_set,
dict_get, list_append, queue_put_get) makes COUNT rounds of that case's calls and prints `ok`.
It stops at the end of its input.
"""
import sys
from multiprocessing import Manager


def main():
    with Manager() as manager:
        d, l, q = manager.dict(), manager.list(), manager.Queue()

        def dict_set(count):
            for i in range(count):
                d[i % 100] = i

        def dict_get(count):
            for i in range(count):
                d.get(i % 100)

        def list_append(count):
            for i in range(count):
                l.append(i)

        def queue_put_get(count):
            for i in range(count):
                q.put(i)
                if q.get() != i:
                    raise RuntimeError('Queue: got back another item')

        cases = {'dict_set': dict_set, 'dict_get': dict_get, 'list_append': list_append, 'queue_put_get': queue_put_get}
        print('ready', flush=True)
        for line in sys.stdin:
            name, count = line.split()
            cases[name](int(count))
            print('ok', flush=True)


if __name__ == '__main__':
    main()
