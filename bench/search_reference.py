"""PyTorch reference for bench/search.sh and bench/compare.sh: seconds per DARTS search step and peak RSS of one
supernet configuration, one process per configuration (ru_maxrss is a per-process high-water mark).

A step is the body of DARTS' search loop (reference_nets.search_step): an architecture step on a validation batch,
first order or second order (unrolled), then an SGD step on a training batch (lr 0.025, momentum 0.9, weight decay
3e-4, gradient clip 5). Batches are random 1x28x28 images with random labels, a fresh pair per step (a step's time
does not depend on pixel values); images/s counts the training batch only, as ProxyNAS's SearchStepBench.

Usage: /usr/bin/python3 bench/search_reference.py first|second [--C 8 --layers 5 --batch 64 --warmup 3 --steps 20
       --threads 2 --seed 2]
Prints one JSON line.
"""
import argparse, json, resource, statistics, time
import torch
import reference_nets as ref

p = argparse.ArgumentParser()
p.add_argument('mode', choices=['first', 'second'])
p.add_argument('--C', type=int, default=8)
p.add_argument('--layers', type=int, default=5)
p.add_argument('--batch', type=int, default=64)
p.add_argument('--warmup', type=int, default=3)
p.add_argument('--steps', type=int, default=20)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--seed', type=int, default=2)
a = p.parse_args()


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
rss_import = maxrss_mb()
net = ref.SearchNetwork(a.C, 10, a.layers, in_channels=1)
weights = torch.optim.SGD(net.parameters(), 0.025, momentum=0.9, weight_decay=3e-4)
architect = ref.Architect(net)


def batch():
    return torch.randn(a.batch, 1, 28, 28), torch.randint(0, 10, (a.batch,))


rss_setup = maxrss_mb()
times = []
for i in range(a.warmup + a.steps):
    (x, y), (xv, yv) = batch(), batch()
    t0 = time.perf_counter()
    ref.search_step(net, architect, weights, x, y, xv, yv, a.mode == 'second')
    if i >= a.warmup:
        times.append(time.perf_counter() - t0)
total = sum(times)
print(json.dumps(dict(impl='pytorch', model='darts', mode=a.mode, C=a.C, layers=a.layers, batch=a.batch,
                      threads=a.threads, warmup=a.warmup, steps=a.steps, params=ref.n_params(net),
                      s_per_step_mean=total / len(times), s_per_step_median=statistics.median(times),
                      s_per_step_min=min(times), s_per_step_max=max(times), img_per_s=a.batch * len(times) / total,
                      maxrss_mb_after_import=round(rss_import, 1), maxrss_mb_after_setup=round(rss_setup, 1),
                      maxrss_mb_peak=round(maxrss_mb(), 1), torch=torch.__version__)))
