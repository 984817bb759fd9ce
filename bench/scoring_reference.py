"""PyTorch reference throughput of the scoring baseline (ResNet-20, option A) on 3x32x32 inputs.

The shared harness (reference/bench.py) only feeds 1x28x28 Fashion-MNIST; this measures the same model
class from reference/common.py with 3 input channels on random 32x32 images (throughput does not depend on
pixel values), timed exactly like bench.py: warmup steps, then the mean over timed steps.

Usage: /usr/bin/python3 bench/scoring_reference.py train|infer [--batch 128 --warmup 3 --steps 20 --threads 2]
Prints one JSON line.
"""
import argparse, json, os, sys, time

REFERENCE = os.environ.get('PROXYNAS_REFERENCE', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'reference'))
sys.path.insert(0, REFERENCE)
import common  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument('mode', choices=['train', 'infer'])
p.add_argument('--batch', type=int, default=128)
p.add_argument('--warmup', type=int, default=3)
p.add_argument('--steps', type=int, default=20)
p.add_argument('--threads', type=int, default=2)
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(0)
net = common.ResNet20(10, in_channels=3)
opt = torch.optim.SGD(net.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
crit = nn.CrossEntropyLoss()
x = torch.randn(a.batch, 3, 32, 32)
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
print(json.dumps(dict(model='resnet20', mode=a.mode, shape='3x32x32', batch=a.batch, threads=a.threads,
                      steps=a.steps, params=common.n_params(net), img_per_s=a.batch * len(times) / sum(times),
                      torch=torch.__version__)))
