"""
numpy's side of the `ops` bench suite: the same operations on the same data, timed by Python.
The suite runs it with Debian's /usr/bin/python3, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset,

    python3 bench/peers/numpy_ops.py '{"runs": R, "cases": [...]}'

and reads one JSON line: {"numpy": version, "blas": [the BLAS/LAPACK libraries this process
mapped], "seconds": {case key: [one float per run]}}. Each case is {"key", "op", "shape"}; the
data is pattern(i) = ((i * 7919) % 1000) / 997 - 0.5 over the flat C-order index, the formula the
suite fills its arrays with, so both sides compute on the same numbers.
"""
import gc
import json
import sys
import time

import numpy as np

CHUNK = 1 << 22


def pattern(shape, offset=0):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for start in range(0, flat.size, CHUNK):
        i = np.arange(start + offset, min(start + CHUNK, flat.size) + offset, dtype=np.int64)
        flat[start:start + i.size] = ((i * 7919) % 1000) / 997.0 - 0.5
    return out


def blas_libraries():
    with open('/proc/self/maps') as maps:
        paths = {line.split()[-1] for line in maps if '/' in line and ('blas' in line or 'lapack' in line)}
    return sorted(paths)


def operations(op, shape):
    """The data for `op` and a function that runs it once."""
    if op == 'copy':
        a, out = pattern(shape), np.empty(shape)
        return lambda: np.copyto(out, a)
    if op.startswith(('sum', 'mean', 'argmax', 'std')):
        name, axis = op.split(':')
        a = pattern(shape)
        f = getattr(np, name)
        ax = None if axis == 'none' else int(axis)
        return lambda: f(a, axis=ax)
    if op == 'fma':
        a, b, c, out = pattern(shape), pattern(shape, 1), pattern(shape, 2), np.empty(shape)

        def fma():
            np.multiply(a, b, out=out)
            np.add(out, c, out=out)
        return fma
    if op in ('exp', 'sin'):
        a, out = pattern(shape), np.empty(shape)
        f = getattr(np, op)
        return lambda: f(a, out=out)
    if op == 'power':
        # bases in [0.5, 1.5): a negative base to 2.5 is NaN, off every pow's fast path
        a, out = pattern(shape) + 1.0, np.empty(shape)
        return lambda: np.power(a, 2.5, out=out)
    if op == 'matmul':
        n = shape[0]
        a, b, out = pattern((n, n)), pattern((n, n), 1), np.empty((n, n))
        return lambda: np.matmul(a, b, out=out)
    raise ValueError('unknown op %r' % op)


def main(argv):
    spec = json.loads(argv[1])
    seconds = {}
    for case in spec['cases']:
        run = operations(case['op'], tuple(case['shape']))
        times = []
        for _ in range(spec['runs']):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        seconds[case['key']] = times
        del run
        gc.collect()
    print(json.dumps({'numpy': np.__version__, 'blas': blas_libraries(), 'seconds': seconds}))


if __name__ == '__main__':
    main(sys.argv)
