"""PyTorch reference throughput of the scoring baseline (ResNet-20, option A, bench/reference_nets.py) for
bench/scoring.sh: one random batch of the given shape (throughput does not depend on pixel values), warmup steps,
then the mean over the timed steps; train is an SGD step (lr 0.1, momentum 0.9, weight decay 1e-4), infer an
evaluation-mode forward pass without gradients.

Usage: /usr/bin/python3 bench/scoring_reference.py train|infer [--shape 3x32x32 --batch 128 --warmup 3 --steps 20
       --threads 2]
Prints one JSON line.
"""
import argparse, json, time
import torch
import torch.nn as nn
import reference_nets as ref

p = argparse.ArgumentParser()
p.add_argument('mode', choices=['train', 'infer'])
p.add_argument('--shape', default='3x32x32', help='CxHxW of the images')
p.add_argument('--batch', type=int, default=128)
p.add_argument('--warmup', type=int, default=3)
p.add_argument('--steps', type=int, default=20)
p.add_argument('--threads', type=int, default=2)
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(0)
c, h, w = (int(v) for v in a.shape.split('x'))
net = ref.resnet20(c)
opt = torch.optim.SGD(net.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
crit = nn.CrossEntropyLoss()
x = torch.randn(a.batch, c, h, w)
y = torch.randint(0, 10, (a.batch,))
times = []
for i in range(a.warmup + a.steps):
    t0 = time.perf_counter()
    if a.mode == 'train':
        net.train()
        opt.zero_grad()
        crit(net(x), y).backward()
        opt.step()
    else:
        net.eval()
        with torch.no_grad():
            net(x)
    if i >= a.warmup:
        times.append(time.perf_counter() - t0)
print(json.dumps(dict(impl='pytorch', model='resnet20', mode=a.mode, shape=a.shape, batch=a.batch,
                      threads=a.threads, steps=a.steps, params=ref.n_params(net), img_per_s=a.batch * len(times) / sum(times),
                      torch=torch.__version__)))
