"""
A plain numpy sieve of Eratosthenes: one boolean array of n + 1 flags, odd and even alike, each
prime p <= sqrt(n) clearing p*p, p*p + p, ... with one slice assignment. The `sieve` bench suite
runs it as

    python3 bench/peers/numpy_sieve.py N RUNS

and reads one JSON line: {"count": pi(N), "seconds": [one float per run]}.
"""
import json
import sys
import time

import numpy as np


def count_primes(n):
    if n < 2:
        return 0
    is_prime = np.ones(n + 1, dtype=bool)
    is_prime[:2] = False
    for p in range(2, int(n ** 0.5) + 1):
        if is_prime[p]:
            is_prime[p * p::p] = False
    return int(np.count_nonzero(is_prime))


def main(argv):
    n, runs = int(float(argv[1])), int(argv[2])
    seconds, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = count_primes(n)
        seconds.append(time.perf_counter() - start)
    print(json.dumps({'count': count, 'seconds': seconds}))


if __name__ == '__main__':
    main(sys.argv)
