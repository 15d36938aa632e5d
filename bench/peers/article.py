# encoding:utf8
"""
The reference article's trial-division prime count ("Python 多进程及进程间通信"), ported from
Python 2 to Python 3 with its logic unchanged: check_prime, worker(sub_range), divide_range
(with its uneven last ranges), run() in one process, and run() over multiprocessing.Pool.map.

The `seed` bench suite runs it as

    python3 bench/peers/article.py single N RUNS
    python3 bench/peers/article.py pool N PROCESSES RUNS [--pool-outside]

and reads one JSON line: {"count": pi(N), "seconds": [one float per run]}. Each run is timed
like the article's `timeit.timeit("run()", number=1)`, after one untimed run (the article prints
run() once before timing it). The pool run, as in the article, creates its Pool inside run(), so
process start-up is in the timing; with --pool-outside the pool is created once before the first
timed run and reused (closer to a worker pool kept warm).

Changes from the article, none of which touch the counting: run() returns its total instead of
printing it (stdout carries the JSON line); the pool run closes and joins its Pool (the article
leaves it to the garbage collector, and the bench runs it several times); N, the number of
processes and the number of runs come from the command line.
"""
import json
import multiprocessing
import sys
import timeit
from math import sqrt

CHECK_NUMBERS = 1000000
NUM_PROCESSES = multiprocessing.cpu_count()


def check_prime(n):
    if n == 2:
        return True
    for i in range(2, int(sqrt(n) + 1)):
        if n % i == 0:
            return False
    return True


def run_single():
    total = 0
    for i in range(2, CHECK_NUMBERS + 1):
        if check_prime(i):
            total += 1
    return total


def worker(sub_range):
    '''count prime numbers between start and end(exclusive)'''
    start, end = sub_range
    total = 0
    for n in range(start, end):
        if check_prime(n):
            total += 1
    return total


def divide_range(lower_end, upper_end, num_range):
    '''divide a larger range into smaller ranges'''
    step = int((upper_end - lower_end) / num_range)
    ranges = []
    subrange_upper = lower_end
    while subrange_upper <= upper_end:
        subrange_lowerend = subrange_upper
        subrange_upper += step
        if subrange_upper <= upper_end:
            ranges.append((subrange_lowerend, subrange_upper))
            continue
        if subrange_lowerend < upper_end:
            ranges.append((subrange_lowerend, upper_end))
    return ranges


def run_pool():
    params = divide_range(2, CHECK_NUMBERS + 1, 4)
    pool = multiprocessing.Pool(processes=NUM_PROCESSES)
    result = pool.map(worker, params)
    total = sum(result)
    pool.close()
    pool.join()
    return total


WARM_POOL = None


def run_warm_pool():
    params = divide_range(2, CHECK_NUMBERS + 1, 4)
    return sum(WARM_POOL.map(worker, params))


def main(argv):
    global CHECK_NUMBERS, NUM_PROCESSES, WARM_POOL
    mode = argv[1]
    CHECK_NUMBERS = int(float(argv[2]))
    if mode == 'single':
        runs, fn = int(argv[3]), run_single
    elif mode == 'pool':
        NUM_PROCESSES, runs = int(argv[3]), int(argv[4])
        fn = run_pool
        if '--pool-outside' in argv:
            WARM_POOL = multiprocessing.Pool(processes=NUM_PROCESSES)
            WARM_POOL.map(int, range(NUM_PROCESSES))  # every process has started
            fn = run_warm_pool
    else:
        raise SystemExit('usage: article.py single N RUNS | pool N PROCESSES RUNS [--pool-outside]')
    count = fn()  # the article prints run() once before timing it
    seconds = [timeit.timeit(fn, number=1) for _ in range(runs)]
    if WARM_POOL is not None:
        WARM_POOL.close()
        WARM_POOL.join()
    print(json.dumps({'count': count, 'seconds': seconds}))


if __name__ == '__main__':
    main(sys.argv)
