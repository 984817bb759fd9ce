"""PyTorch reference for bench/zero-cost.sh. For each network ZeroCostExport wrote (NAME.npz: the untrained weights
and the batch; NAME.json: the genotype, the settings and ProxyNAS's values), rebuilds the DARTS network in PyTorch,
loads the weights, computes every measure the way its authors' code does (mohsaied/zero-cost-nas for synflow, snip,
grad_norm, grasp, fisher and jacob_cov; BayesWatch/nas-without-training for naswot; parameters and multiply-adds as
NAS papers count them) and prints one line per network and measure: name, measure, ProxyNAS, PyTorch, relative
difference (and a last line per network, grasp_float32, comparing the authors' float32 grasp with ProxyNAS's float64
one, for reference). Written from the papers and the authors' code, not copied; one batch (the authors' default).
Usage: /usr/bin/python3 bench/zero_cost_reference.py EXPORT_DIR THREADS"""
import copy
import json
import os
import sys
import types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- the DARTS evaluation network (model.NetworkCIFAR without the auxiliary head), module order as DARTS' ---

def relu_conv_bn(c_in, c_out):
    return nn.Sequential(nn.ReLU(inplace=False), nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))


def sep_conv(c, k, stride, pad):
    return nn.Sequential(
        nn.ReLU(inplace=False), nn.Conv2d(c, c, k, stride, pad, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False),
        nn.BatchNorm2d(c),
        nn.ReLU(inplace=False), nn.Conv2d(c, c, k, 1, pad, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False),
        nn.BatchNorm2d(c))


def dil_conv(c, k, stride, pad):
    return nn.Sequential(
        nn.ReLU(inplace=False), nn.Conv2d(c, c, k, stride, pad, dilation=2, groups=c, bias=False),
        nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.relu = nn.ReLU(inplace=False)
        self.conv_1 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.conv_2 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = self.relu(x)
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(x[:, :, 1:, 1:])], dim=1))


class Identity(nn.Module):
    def forward(self, x):
        return x


OPS = {
    'max_pool_3x3': lambda c, s: nn.MaxPool2d(3, stride=s, padding=1),
    'avg_pool_3x3': lambda c, s: nn.AvgPool2d(3, stride=s, padding=1, count_include_pad=False),
    'skip_connect': lambda c, s: Identity() if s == 1 else FactorizedReduce(c, c),
    'sep_conv_3x3': lambda c, s: sep_conv(c, 3, s, 1),
    'sep_conv_5x5': lambda c, s: sep_conv(c, 5, s, 2),
    'dil_conv_3x3': lambda c, s: dil_conv(c, 3, s, 2),
    'dil_conv_5x5': lambda c, s: dil_conv(c, 5, s, 4),
}


class Cell(nn.Module):
    def __init__(self, edges, concat, c_prev_prev, c_prev, c, reduction, reduction_prev):
        super().__init__()
        self.preprocess0 = FactorizedReduce(c_prev_prev, c) if reduction_prev else relu_conv_bn(c_prev_prev, c)
        self.preprocess1 = relu_conv_bn(c_prev, c)
        self.inputs = [e['input'] for e in edges]
        self.concat = concat
        self.ops = nn.ModuleList(
            OPS[e['op']](c, 2 if reduction and e['input'] < 2 else 1) for e in edges)

    def forward(self, s0, s1):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        for i in range(0, len(self.ops), 2):
            states.append(self.ops[i](states[self.inputs[i]]) + self.ops[i + 1](states[self.inputs[i + 1]]))
        return torch.cat([states[i] for i in self.concat], dim=1)


class Network(nn.Module):
    def __init__(self, genotype, c, layers, classes, in_channels):
        super().__init__()
        c_curr = 3 * c
        self.stem = nn.Sequential(nn.Conv2d(in_channels, c_curr, 3, padding=1, bias=False), nn.BatchNorm2d(c_curr))
        c_prev_prev, c_prev, c_curr = c_curr, c_curr, c
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                c_curr *= 2
            edges, concat = ((genotype['reduce'], genotype['reduceConcat']) if reduction
                             else (genotype['normal'], genotype['normalConcat']))
            self.cells.append(Cell(edges, concat, c_prev_prev, c_prev, c_curr, reduction, reduction_prev))
            reduction_prev = reduction
            c_prev_prev, c_prev = c_prev, len(concat) * c_curr
        self.classifier = nn.Linear(c_prev, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(F.adaptive_avg_pool2d(s1, 1).flatten(1))


# --- the measures, after the authors' code ---

def layers(net):
    """get_layer_metric_array's layers: every nn.Conv2d and nn.Linear."""
    return [m for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def copy_of(net, bn=True):
    """find_measures' get_prunable_copy: a deep copy, batch norm's forward replaced by the identity unless bn."""
    net = copy.deepcopy(net)
    if not bn:
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.forward = types.MethodType(lambda self, x: x, m)
    return net


def total(arrays):
    """find_measures' sum_arr: the per-layer arrays summed."""
    return sum(float(torch.sum(a)) for a in arrays)


def synflow(net, x, y):
    net = copy_of(net, bn=False)
    with torch.no_grad():
        for p in net.state_dict().values():
            p.abs_()
    net.zero_grad()
    net.double()
    torch.sum(net(torch.ones([1] + list(x[0].shape)).double())).backward()
    return total(torch.abs(m.weight * m.weight.grad) if m.weight.grad is not None else torch.zeros_like(m.weight)
                 for m in layers(net))


def snip(net, x, y):
    net = copy_of(net)
    for m in layers(net):
        m.weight_mask = nn.Parameter(torch.ones_like(m.weight))
        m.weight.requires_grad = False
        if isinstance(m, nn.Conv2d):
            m.forward = types.MethodType(lambda self, v: F.conv2d(v, self.weight * self.weight_mask, self.bias,
                                                                  self.stride, self.padding, self.dilation,
                                                                  self.groups), m)
        else:
            m.forward = types.MethodType(lambda self, v: F.linear(v, self.weight * self.weight_mask, self.bias), m)
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    return total(torch.abs(m.weight_mask.grad) if m.weight_mask.grad is not None else torch.zeros_like(m.weight)
                 for m in layers(net))


def grad_norm(net, x, y):
    net = copy_of(net)
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    return total(m.weight.grad.norm() if m.weight.grad is not None else torch.zeros_like(m.weight)
                 for m in layers(net))


def grasp(net, x, y):
    """In float64 as ProxyNAS computes it (see Grasp.java): the terms of θᵀHg cancel, float32 leaves up to 1e-3."""
    return grasp_as_authors(net.double(), x.double(), y)


def grasp_as_authors(net, x, y):
    net = copy_of(net)
    weights = [m.weight for m in layers(net)]
    net.zero_grad()
    grad_w = torch.autograd.grad(F.cross_entropy(net(x), y), weights, allow_unused=True)
    grad_f = torch.autograd.grad(F.cross_entropy(net(x), y), weights, create_graph=True, allow_unused=True)
    z = 0
    for gw, gf in zip(grad_w, grad_f):
        if gw is not None:
            z += (gw.data * gf).sum()
    z.backward()
    return total(-m.weight.data * m.weight.grad if m.weight.grad is not None else torch.zeros_like(m.weight)
                 for m in layers(net))


def fisher(net, x, y):
    net = copy_of(net)
    net.train()

    def hooked_forward(self, v):
        v = F.conv2d(v, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups) \
            if isinstance(self, nn.Conv2d) else F.linear(v, self.weight, self.bias)
        self.act = self.dummy(v)
        return self.act

    def hook_for(layer):
        def hook(module, grad_input, grad_output):
            act, grad = layer.act.detach(), grad_output[0].detach()
            g_nk = torch.sum(act * grad, list(range(2, len(act.shape)))) if len(act.shape) > 2 else act * grad
            del_k = g_nk.pow(2).mean(0).mul(0.5)
            layer.fisher = del_k if layer.fisher is None else layer.fisher + del_k
            del layer.act
        return hook

    for m in layers(net):
        m.fisher, m.act, m.dummy = None, 0., nn.Identity()
        m.forward = types.MethodType(hooked_forward, m)
        m.dummy.register_backward_hook(hook_for(m))
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    # each channel's value spread over the channel's weights (reshape_elements), then summed
    return total(torch.stack([torch.Tensor(m.weight.shape[1:]).fill_(float(v)) for v in
                              (torch.abs(m.fisher) if m.fisher is not None else torch.zeros(m.weight.shape[0]))])
                 for m in layers(net))


def jacob_cov(net, x, y):
    net = copy_of(net)
    net.zero_grad()
    x = x.clone().requires_grad_(True)
    out = net(x)
    out.backward(torch.ones_like(out))
    jacobian = x.grad.detach().reshape(x.shape[0], -1).numpy()
    v, _ = np.linalg.eig(np.corrcoef(jacobian))
    k = 1e-5
    return float(np.real(-np.sum(np.log(v + k) + 1. / (v + k))))


def naswot(net, x, y):
    net = copy_of(net)
    kernel = np.zeros((x.shape[0], x.shape[0]))

    def count(module, inp, out):
        if not getattr(module, 'visited_backwards', False):
            return
        codes = (inp[0].view(inp[0].size(0), -1) > 0).float()
        nonlocal kernel
        kernel = kernel + (codes @ codes.t()).numpy() + ((1. - codes) @ (1. - codes.t())).numpy()

    def visited(module, grad_input, grad_output):
        module.visited_backwards = True

    for m in net.modules():
        if isinstance(m, nn.ReLU):
            m.register_forward_hook(count)
            m.register_backward_hook(visited)
    probe = x.clone().requires_grad_(True)
    out = net(probe)
    out.backward(torch.ones_like(out))
    with torch.no_grad():
        net(x.clone())
    return float(np.linalg.slogdet(kernel)[1])


def params(net, x, y):
    return float(sum(p.numel() for p in net.parameters() if p.requires_grad))


def flops(net, x, y):
    counted = []

    def count(module, inp, out):
        positions = out[0, 0].numel() if isinstance(module, nn.Conv2d) else 1
        counted.append(module.weight.numel() * positions)

    net = copy.deepcopy(net)
    for m in layers(net):
        m.register_forward_hook(count)
    with torch.no_grad():
        net(x[:1])
    return float(sum(counted))


MEASURES = {'synflow': synflow, 'snip': snip, 'grad_norm': grad_norm, 'grasp': grasp, 'fisher': fisher,
            'jacob_cov': jacob_cov, 'naswot': naswot, 'params': params, 'flops': flops}


def main():
    export, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    for name in sorted(f[:-5] for f in os.listdir(export) if f.endswith('.json')):
        with open(os.path.join(export, name + '.json')) as f:
            spec = json.load(f)
        if spec['batches'] != 1:
            sys.exit(f'{name}: the reference follows the authors on one batch, found {spec["batches"]}')
        arrays = np.load(os.path.join(export, name + '.npz'))
        x, y = torch.from_numpy(arrays['images']), torch.from_numpy(arrays['labels'])
        net = Network(spec['genotype'], spec['channels'], spec['layers'], spec['classes'], x.shape[1]).train()
        trainable = [p for p in net.parameters() if p.requires_grad]
        weights = [arrays[k] for k in sorted(arrays.files) if k.startswith('p')]
        if [tuple(p.shape) for p in trainable] != [w.shape for w in weights]:
            sys.exit(f'{name}: the exported parameters do not fit the network rebuilt here')
        with torch.no_grad():
            for p, w in zip(trainable, weights):
                p.copy_(torch.from_numpy(w))
        for measure, compute in MEASURES.items():
            row(name, measure, spec['measures'][measure], compute(copy.deepcopy(net), x, y))
        # for reference, not checked: the authors' float32 grasp against ProxyNAS's float64 one
        row(name, 'grasp_float32', spec['measures']['grasp'], grasp_as_authors(net, x, y))


def row(name, measure, ours, theirs):
    difference = abs(ours - theirs) / abs(theirs) if theirs != 0 else abs(ours)
    print(f'{name} {measure} {ours:.9g} {theirs:.9g} {difference:.2e}', flush=True)


if __name__ == '__main__':
    main()
