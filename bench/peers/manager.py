"""
Python's multiprocessing.Manager() doing what the `manager` bench suite measures on this package's
Manager: a dict set and get, a list append, and a Queue put then get, each one call of a proxy
(one round trip to the manager's server process, as every Python proxy call is). The calls are
made from this process, a client of the manager like any worker process: a proxy call costs the
same from either.

    python3 bench/peers/manager.py N RUNS

prints one JSON line: {"dict_set": [...], "dict_get": [...], "list_append": [...],
"queue_put_get": [...]}, each a list of RUNS figures in seconds per call (a put then a get is two
calls). Each case runs N // 10 untimed calls first. Keys cycle through 100 ints, values are ints,
as in the suite.
"""
import json
import sys
import time
from multiprocessing import Manager


def main():
    n, runs = int(sys.argv[1]), int(sys.argv[2])
    with Manager() as manager:
        d, l, q = manager.dict(), manager.list(), manager.Queue()

        def dict_set(count):
            for i in range(count):
                d[i % 100] = i
            return count

        def dict_get(count):
            for i in range(count):
                d.get(i % 100)
            return count

        def list_append(count):
            for i in range(count):
                l.append(i)
            return count

        def queue_put_get(count):
            for i in range(count):
                q.put(i)
                q.get()
            return 2 * count

        out = {}
        for name, case in [('dict_set', dict_set), ('dict_get', dict_get), ('list_append', list_append), ('queue_put_get', queue_put_get)]:
            case(max(1, n // 10))
            seconds = []
            for _ in range(runs):
                start = time.perf_counter()
                calls = case(n)
                seconds.append((time.perf_counter() - start) / calls)
            out[name] = seconds
    print(json.dumps(out))


if __name__ == '__main__':
    main()
