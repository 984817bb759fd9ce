"""PyTorch reference for bench/networks.sh: seconds per forward + backward step (cross-entropy, random
1x28x28 images) of DARTS' search supernet, PC-DARTS' supernet (its MixedOp and Cell, K=4) and DARTS_V2's
evaluation network, built by bench/reference_nets.py. Prints "name median_seconds" lines.
Usage: /usr/bin/python3 bench/networks_reference.py BATCH WARMUP STEPS THREADS"""
import statistics, sys, time
import torch, torch.nn as nn, torch.nn.functional as F
import reference_nets as ref
from reference_nets import OPS, PRIMITIVES

batch, warmup, steps, threads = map(int, sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(2)
crit = nn.CrossEntropyLoss()


class PartialMixedOp(nn.Module):
    """PC-DARTS' MixedOp: operations on the first C/k channels, the rest passed by, channel shuffle."""
    def __init__(self, C, stride, k=4):
        super().__init__()
        self.k, self.mp, self.ops = k, nn.MaxPool2d(2, 2), nn.ModuleList()
        for p in PRIMITIVES:
            op = OPS[p](C // k, stride, False)
            self.ops.append(nn.Sequential(op, nn.BatchNorm2d(C // k, affine=False)) if 'pool' in p else op)

    def forward(self, x, weights):
        d = x.shape[1] // self.k
        t = sum(w * op(x[:, :d]) for w, op in zip(weights, self.ops))
        rest = x[:, d:] if t.shape[2] == x.shape[2] else self.mp(x[:, d:])
        b, c, h, w = t.shape[0], x.shape[1], t.shape[2], t.shape[3]
        return torch.cat([t, rest], 1).view(b, self.k, c // self.k, h, w).transpose(1, 2).contiguous().view(b, c, h, w)


def time_steps(name, step):
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        step()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    print(f'{name} {statistics.median(times):.4f}')


def data():
    return torch.randn(batch, 1, 28, 28), torch.randint(0, 10, (batch,))


darts = ref.SearchNetwork(8, 10, 5, in_channels=1).train()


def darts_step():
    x, y = data()
    crit(darts(x), y).backward()


time_steps('supernet_darts_C8_L5', darts_step)

pc = ref.SearchNetwork(8, 10, 5, in_channels=1, mixed_op=PartialMixedOp).train()
betas = [torch.randn(14, requires_grad=True), torch.randn(14, requires_grad=True)]


def node_softmax(b):
    return torch.cat([F.softmax(b[s:s + n], -1) for s, n in ((0, 2), (2, 3), (5, 4), (9, 5))])


def pc_step():
    x, y = data()
    s0 = s1 = pc.stem(x)
    for cell in pc.cells:
        a, b = (pc.alphas_reduce, betas[1]) if cell.reduction else (pc.alphas_normal, betas[0])
        s0p, s1p = cell.preprocess0(s0), cell.preprocess1(s1)
        states, offset = [s0p, s1p], 0
        for _ in range(4):
            w, w2 = F.softmax(a, -1), node_softmax(b)
            states.append(sum(w2[offset + j] * cell._ops[offset + j](h, w[offset + j]) for j, h in enumerate(states)))
            offset += len(states) - 1
        s0, s1 = s1, torch.cat(states[-4:], 1)
    crit(pc.classifier(pc.global_pooling(s1).flatten(1)), y).backward()


time_steps('supernet_pcdarts_C8_L5', pc_step)

v2 = ref.EvalNetwork(16, 10, 8, ref.DARTS_V2, in_channels=1).train()


def v2_step():
    x, y = data()
    crit(v2(x), y).backward()


time_steps('darts_v2_C16_L8', v2_step)
