"""Reference timings for bench/selection.sh: numpy's choice(replace=False, p) -- the public code's sampler --
and a vectorised numpy greedy k-center, on the same synthetic shapes as SelectionBench."""
import sys, time
import numpy as np

rng = np.random.default_rng(7)
for n in [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "50000,1280000").split(",")]:
    h = 10 ** (-20 * rng.random(n))
    v = np.log10(h)
    lo, hi = np.floor(v.min()), np.ceil(v.max())
    edges = np.arange(lo, hi + 0.5, 0.5)
    b = np.clip(np.digitize(v, edges) - 1, 0, len(edges) - 2)
    counts = np.bincount(b, minlength=len(edges) - 1)
    q = np.where(counts > 0, counts.max() - counts + 1, 0).astype(float)
    p = (q / q.sum())[b] / counts[b]
    p /= p.sum()
    t = time.perf_counter()
    np.random.default_rng(1).choice(n, n // 10, replace=False, p=p)
    print(f"| {n:,} | numpy Generator.choice(replace=False, p) | {n // 10:,} | {time.perf_counter() - t:.3f} |")
    t = time.perf_counter()
    np.random.RandomState(1).choice(n, n // 10, replace=False, p=p)
    print(f"| {n:,} | numpy RandomState.choice(replace=False, p) (public code) | {n // 10:,} | {time.perf_counter() - t:.3f} |")

n, d = 50000, 64
centres = 3 * rng.standard_normal((10, d)).astype(np.float32)
x = centres[rng.integers(0, 10, n)] + rng.standard_normal((n, d)).astype(np.float32)
t = time.perf_counter()
k = n // 10
mind = np.full(n, np.inf, dtype=np.float32)
c = 0
for s in range(k):
    diff = x - x[c]
    mind = np.minimum(mind, np.einsum("ij,ij->i", diff, diff))
    c = int(np.argmax(mind))
print(f"| {n:,} | numpy k-center (brute force, vectorised) | {k:,} | {time.perf_counter() - t:.3f} |")
