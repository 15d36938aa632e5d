"""
numpy's side of bench/investigate/ops-math-cpu.mjs: CPU ns per element (time.process_time, one
thread: numpy's ufuncs do not thread) of exp, sin, power and std of rows of 16 over 2^22 float64
elements of the ops bench's data, median of 7. Prints one JSON line.

    /usr/bin/python3 bench/investigate/ops-math-numpy.py
"""
import json
import time

import numpy as np

N = 1 << 22
a = ((np.arange(N) * 7919) % 1000) / 997.0 - 0.5
pos = a + 0.51
out = np.empty_like(a)
rows = a.reshape(-1, 16)
cases = {
    'exp': lambda: np.exp(a, out=out),
    'sin': lambda: np.sin(a, out=out),
    'cos': lambda: np.cos(a, out=out),
    'power 2': lambda: np.power(a, 2.0, out=out),
    'power 2.5': lambda: np.power(pos, 2.5, out=out),
    'std rows of 16': lambda: np.std(rows, axis=1),
}
result = {}
for name, run in cases.items():
    run()
    times = []
    for _ in range(7):
        t = time.process_time()
        run()
        times.append((time.process_time() - t) * 1e9 / N)
    times.sort()
    result[name] = round(times[3], 2)
print(json.dumps({'numpy': np.__version__, 'ns': result}))
