"""PyTorch side of bench/gpu: the rows of bench/gpu/run.sh measured with the project's PyTorch reference networks
(bench/reference_nets.py: ResNet-20, DARTS_V2's evaluation network, DARTS' supernet and architecture step) on one
CUDA device, one JSON line per row. Timing: WARMUP steps, then STEPS steps between two torch.cuda.synchronize()
calls (no per-step host sync: the fastest honest PyTorch loop). Same hyper-parameters as bench/train_reference.py
and bench/search_reference.py; inputs are random (a step's time does not depend on pixel values).

Usage: python3 bench/gpu/reference_gpu.py ROW...   with ROW one of
  resnet20:CxHxW:BATCH            train step (SGD) and eval forward
  darts_v2:CxHxW:BATCH:C:LAYERS   train step (drop path 0.2, clip 5, no auxiliary) and eval forward
  search:first|second:C:LAYERS    DARTS search step (architecture step + weight step), batch 64, 1x28x28
Options (env): WARMUP (default 3), STEPS (default 20).
"""
import json, os, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import reference_nets as ref  # noqa: E402

dev = torch.device(os.environ.get('DEVICE', 'cuda'))  # DEVICE=cpu: a dry run of the harness on a CPU
if dev.type == 'cuda':
    torch.set_default_device(dev)  # the supernet's alphas and the unrolled twin are created on the default device


def sync():
    if dev.type == 'cuda':
        torch.cuda.synchronize()


WARMUP = int(os.environ.get('WARMUP', 3))
STEPS = int(os.environ.get('STEPS', 20))
crit = nn.CrossEntropyLoss()
BASE = dict(impl='pytorch', torch=torch.__version__,
            device=torch.cuda.get_device_name(0) if dev.type == 'cuda' else 'cpu')


def timed(step, n):
    sync()
    t0 = time.perf_counter()
    for i in range(n):
        step(i)
    sync()
    return time.perf_counter() - t0


def train_and_infer(net, opt, shape, batch, clip):
    c, h, w = shape
    xs = torch.randn(WARMUP + STEPS, batch, c, h, w)
    ys = torch.randint(0, 10, (WARMUP + STEPS, batch))

    def train_step(i):
        net.train()
        opt.zero_grad(set_to_none=False)
        out = net(xs[i])
        logits = out[0] if isinstance(out, tuple) else out
        crit(logits, ys[i]).backward()
        if clip:
            nn.utils.clip_grad_norm_(net.parameters(), clip)
        opt.step()

    def infer_step(i):
        with torch.no_grad():
            net(xs[i])

    timed(train_step, WARMUP)
    train_s = timed(train_step, STEPS)
    net.eval()
    timed(infer_step, WARMUP)
    infer_s = timed(infer_step, STEPS)
    return dict(train_img_per_s=batch * STEPS / train_s, infer_img_per_s=batch * STEPS / infer_s,
                train_s_per_step=train_s / STEPS, infer_s_per_step=infer_s / STEPS,
                gpu_mem_mb=peak_mb())


def row_resnet(shape, batch):
    torch.manual_seed(0)
    net = ref.resnet20(shape[0]).to(dev)
    opt = torch.optim.SGD(net.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
    return train_and_infer(net, opt, shape, batch, 0)


def row_darts(shape, batch, C, layers):
    torch.manual_seed(0)
    net = ref.EvalNetwork(C, 10, layers, ref.DARTS_V2, in_channels=shape[0], drop_path_prob=0.2).to(dev)
    opt = torch.optim.SGD(net.parameters(), 0.025, momentum=0.9, weight_decay=3e-4)
    return train_and_infer(net, opt, shape, batch, 5)


def row_search(mode, C, layers):
    torch.manual_seed(2)
    batch = 64
    n = 2 * batch * (WARMUP + STEPS)
    x, y = torch.randn(n, 1, 28, 28, device=dev), torch.randint(0, 10, (n,), device=dev)
    net = ref.SearchNetwork(C, 10, layers, in_channels=1).to(dev)
    opt = torch.optim.SGD(net.parameters(), 0.025, momentum=0.9, weight_decay=3e-4)
    architect = ref.Architect(net)

    def step(i):  # one step of DARTS' search loop
        o = 2 * i * batch
        ref.search_step(net, architect, opt, x[o:o + batch], y[o:o + batch], x[o + batch:o + 2 * batch],
                        y[o + batch:o + 2 * batch], mode == 'second')

    timed(step, WARMUP)
    s = timed(lambda i: step(WARMUP + i), STEPS)
    return dict(s_per_step=s / STEPS, img_per_s=batch * STEPS / s,
                gpu_mem_mb=peak_mb())


def peak_mb():
    return torch.cuda.max_memory_allocated() / 2**20 if dev.type == 'cuda' else None


def shape_of(text):
    return tuple(int(v) for v in text.split('x'))


for spec in sys.argv[1:]:
    f = spec.split(':')
    t0 = time.perf_counter()
    try:
        if f[0] == 'resnet20':
            res = row_resnet(shape_of(f[1]), int(f[2]))
        elif f[0] == 'darts_v2':
            res = row_darts(shape_of(f[1]), int(f[2]), int(f[3]), int(f[4]))
        else:
            res = row_search(f[1], int(f[2]), int(f[3]))
    except Exception as e:  # one broken row must not lose the others
        res = dict(error=repr(e))
    print(json.dumps(dict(BASE, row=spec, warmup=WARMUP, steps=STEPS, wall_s=time.perf_counter() - t0, **res)),
          flush=True)
