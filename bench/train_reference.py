"""PyTorch reference for bench/train.sh: training and inference images/s of the same configurations as
TrainBench (ResNet-20 option A and DARTS_V2's evaluation network from bench/reference_nets.py), random inputs, SGD
momentum 0.9, one JSON line.

Usage: /usr/bin/python3 bench/train_reference.py [--threads N] [--rounds R] [--torchscript DIR] resnet20|darts CxHxW
BATCH WARMUP STEPS [C LAYERS]. After WARMUP training steps, R rounds (default 3) of STEPS training steps, then
max(WARMUP, STEPS) untimed inference batches and R timed rounds of STEPS: each throughput is the median of its
rounds, as TrainBench's.
With PROFILE=FILE in the environment, the measured training steps also run under PyTorch's profiler, written to
FILE as a Chrome trace (for bench/op_profile.py); PROFILE_INFER=FILE does the same for the inference passes.
With --torchscript DIR the network is traced (a training-mode and an evaluation-mode trace, DIR/MODEL-train.pt and
DIR/MODEL-eval.pt) and the traces time the same steps instead of the eager network, with the graph executor's
optimizations off so that a trace runs the eager network's operators one by one: TrainBench's -Dbench.torchscript
runs the same files in libtorch 2.7.1 (LIMIT=1 bench/compare.sh, bench/trace-comparison.sh).
DARTS: no auxiliary head (28-px inputs are too small for it), drop path 0.2, gradient clip 5, as TrainBench.
"""
import json, os, resource, sys, time
import torch
import torch.nn as nn
import reference_nets as ref

threads, rounds, torchscript = 2, 3, None
while sys.argv[1] in ("--threads", "--rounds", "--torchscript"):
    if sys.argv[1] == "--threads":
        threads = int(sys.argv[2])
    elif sys.argv[1] == "--rounds":
        rounds = int(sys.argv[2])
    else:
        torchscript = sys.argv[2]
    del sys.argv[1:3]
model, shape, batch, warmup, steps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
C = int(sys.argv[6]) if len(sys.argv) > 6 else 16
layers = int(sys.argv[7]) if len(sys.argv) > 7 else 8
c, h, w = (int(v) for v in shape.split('x'))
torch.set_num_threads(threads)
torch.manual_seed(0)
if model == 'darts':
    net = ref.EvalNetwork(C, 10, layers, ref.DARTS_V2, in_channels=c, drop_path_prob=0.2)
    opt = torch.optim.SGD(net.parameters(), 0.025, momentum=0.9, weight_decay=3e-4)
else:
    net = ref.resnet20(c)
    opt = torch.optim.SGD(net.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
crit = nn.CrossEntropyLoss()
train_net = infer_net = net


class Logits(nn.Module):
    """The network's logits alone, whether it returns them alone or (as DARTS' NetworkCIFAR) with the auxiliary
    head's."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        out = self.inner(x)
        return out[0] if isinstance(out, tuple) else out


if torchscript:
    torch._C._set_graph_executor_optimize(False)
    os.makedirs(torchscript, exist_ok=True)
    traced = {}
    for mode in ('train', 'eval'):
        net.train(mode == 'train')
        path = os.path.join(torchscript, f'{model}-{mode}.pt')
        # drop path draws a new mask per call, so a training trace cannot be checked by re-running it
        torch.jit.trace(Logits(net), torch.randn(batch, c, h, w), check_trace=mode == 'eval').save(path)
        traced[mode] = torch.jit.load(path)
    train_net, infer_net = traced['train'], traced['eval']
    opt = torch.optim.SGD(train_net.parameters(), opt.defaults['lr'], momentum=0.9,
                          weight_decay=opt.defaults['weight_decay'])


def train_step():
    x, y = torch.randn(batch, c, h, w), torch.randint(0, 10, (batch,))
    train_net.train()
    opt.zero_grad()
    out = train_net(x)
    logits = out[0] if isinstance(out, tuple) else out
    crit(logits, y).backward()
    if model == 'darts':
        nn.utils.clip_grad_norm_(train_net.parameters(), 5)
    opt.step()


def median_rate(step):
    """Images per second of STEPS calls of step, the median of ROUNDS rounds."""
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(batch * steps / (time.perf_counter() - t0))
    return sorted(rates)[len(rates) // 2]


for _ in range(warmup):
    train_step()
train_rate = median_rate(train_step)
if os.environ.get('PROFILE'):
    with torch.autograd.profiler.profile() as prof:
        for _ in range(steps):
            train_step()
    prof.export_chrome_trace(os.environ['PROFILE'])
infer_net.eval()
with torch.no_grad():
    for _ in range(max(warmup, steps)):
        infer_net(torch.randn(batch, c, h, w))
    infer_rate = median_rate(lambda: infer_net(torch.randn(batch, c, h, w)))
if os.environ.get('PROFILE_INFER'):
    with torch.no_grad(), torch.autograd.profiler.profile() as prof:
        for _ in range(steps):
            infer_net(torch.randn(batch, c, h, w))
    prof.export_chrome_trace(os.environ['PROFILE_INFER'])
print(json.dumps(dict(impl='pytorch-torchscript' if torchscript else 'pytorch',
                      model='darts_v2' if model == 'darts' else 'resnet20',
                      C=C if model == 'darts' else 0, layers=layers if model == 'darts' else 20, input=shape,
                      batch=batch, steps=steps, rounds=rounds, train_img_per_s=round(train_rate, 1),
                      infer_img_per_s=round(infer_rate, 1),
                      maxrss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0),
                      threads=threads, torch=torch.__version__)))
