"""PyTorch side of bench/ops.sh: the operators of OpBench, same input shape, no autograd, a fresh output per call,
ms per call of the fastest of 7 rounds of ~0.3 s after a warm-up round; one JSON line per operator. The *_block
rows are what PyTorch runs for the operation whose ProxyNAS side is its own block (OpBench says which).
Usage: /usr/bin/python3 bench/op_reference.py THREADS C H W BATCH"""
import json, sys, time
import torch
import torch.nn.functional as F

threads, c, h, w, batch = (int(v) for v in sys.argv[1:6])
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.randn(batch, c, h, w)
pointwise, depthwise, full = torch.randn(c, c, 1, 1), torch.randn(c, 1, 3, 3), torch.randn(c, c, 3, 3)
mean, var = torch.zeros(c), torch.ones(c)
ops = {
    'relu': lambda: torch.relu(x),
    'add': lambda: x + x,
    'mul_scalar_tensor': lambda: x * var[0],
    'batch_norm_train': lambda: F.batch_norm(x, mean, var, var, mean, True, 0.1, 1e-5),
    'max_pool_3x3': lambda: F.max_pool2d(x, 3, 1, 1),
    'max_pool_3x3_block': lambda: F.max_pool2d(x, 3, 1, 1),
    'max_pool_3x3_stride2_block': lambda: F.max_pool2d(x, 3, 2, 1),
    'avg_pool_3x3': lambda: F.avg_pool2d(x, 3, 1, 1),
    'conv_1x1': lambda: F.conv2d(x, pointwise),
    'conv_3x3_depthwise': lambda: F.conv2d(x, depthwise, None, 1, 1, 1, c),
    'conv_3x3': lambda: F.conv2d(x, full, None, 1, 1),
}


def call(op, times):
    for _ in range(times):
        op()


with torch.no_grad():
    for name, op in ops.items():
        calls, t0 = 1, time.perf_counter()
        while time.perf_counter() - t0 < 0.3:
            call(op, calls)
            calls *= 2
        rounds = []
        for _ in range(7):
            s = time.perf_counter()
            call(op, calls)
            rounds.append((time.perf_counter() - s) * 1000 / calls)
        print(json.dumps(dict(impl='pytorch', op=name, input=f'{batch}x{c}x{h}x{w}', threads=str(threads),
                              ms_per_call=round(min(rounds), 4), torch=torch.__version__)))
