"""The networks and the DARTS search step that the PyTorch reference scripts under bench/ time, written for this
repository from the papers (He et al. 2016; Liu et al., DARTS, 2019) so that a clone needs only Debian's
python3-torch. They compute what the original code computes, module for module and with the same parameter
names, so both count the same parameters, run the same operators in the same order and load each other's weights:

- resnet20(): CIFAR ResNet-20, three stages of three basic blocks (16, 32, 64 channels), option-A shortcuts (a
  stride-2 subsample padded with zero channels), Kaiming-normal initialization; the scoring baseline.
- EvalNetwork: DARTS' evaluation network (NetworkCIFAR) built from a genotype, with drop path, no auxiliary head;
  it returns the logits alone.
- SearchNetwork: DARTS' search supernet, every edge a softmax(alpha)-weighted sum of PRIMITIVES.
- Architect: DARTS' architecture step, first order (the validation loss's gradient) or second order (the
  unrolled weights and the finite-difference Hessian-vector product), Adam on the alphas.

Import it from a script in bench/ (`import reference_nets`): Python puts a script's own folder on its path.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PRIMITIVES = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5',
              'dil_conv_3x3', 'dil_conv_5x5']


def _genotype(edges, concat):
    return [tuple(e) for e in edges], list(concat)


# DARTS_V2 (second-order DARTS on CIFAR-10), as (operation, input) pairs, two per node, and the concatenated nodes
DARTS_V2 = dict(
    normal=_genotype([('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1),
                      ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)],
                     [2, 3, 4, 5]),
    reduce=_genotype([('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1),
                      ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)],
                     [2, 3, 4, 5]))


def n_params(net):
    return sum(p.numel() for p in net.parameters())


# --- ResNet-20 ---

class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        # option A: where the shape changes, subsample by 2 and pad the new channels with zeros (no parameters)
        self.pad = c_out // 4 if stride != 1 or c_in != c_out else 0

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad)) if self.pad else x
        return F.relu(out + shortcut)


class ResNet20(nn.Module):
    def __init__(self, classes=10, in_channels=3):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, c_in = [], 16
        for c_out, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(3):
                blocks.append(BasicBlock(c_in, c_out, stride if i == 0 else 1))
                c_in = c_out
        self.layers = nn.Sequential(*blocks)
        self.linear = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)

    def forward(self, x):
        out = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


def resnet20(in_channels, classes=10):
    return ResNet20(classes, in_channels)


# --- DARTS' operations ---

class ReLUConvBN(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride, padding, affine=True):
        super().__init__()
        self.op = nn.Sequential(nn.ReLU(inplace=False), nn.Conv2d(c_in, c_out, kernel, stride, padding, bias=False),
                                nn.BatchNorm2d(c_out, affine=affine))

    def forward(self, x):
        return self.op(x)


class DilConv(nn.Module):
    """ReLU, a dilated depthwise convolution, a pointwise one, batch norm."""

    def __init__(self, c, kernel, stride, padding, dilation, affine=True):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(c, c, kernel, stride, padding, dilation=dilation, groups=c, bias=False),
            nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c, affine=affine))

    def forward(self, x):
        return self.op(x)


class SepConv(nn.Module):
    """Two DilConv-like stages without dilation, the first with the stride."""

    def __init__(self, c, kernel, stride, padding, affine=True):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False), nn.Conv2d(c, c, kernel, stride, padding, groups=c, bias=False),
            nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c, affine=affine),
            nn.ReLU(inplace=False), nn.Conv2d(c, c, kernel, 1, padding, groups=c, bias=False),
            nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c, affine=affine))

    def forward(self, x):
        return self.op(x)


class Identity(nn.Module):
    def forward(self, x):
        return x


class Zero(nn.Module):
    """The 'none' operation: zeros of the output's shape, computed (as DARTS does) by multiplying by 0."""

    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return (x if self.stride == 1 else x[:, :, ::self.stride, ::self.stride]).mul(0.)


class FactorizedReduce(nn.Module):
    """Halves the resolution: two stride-2 pointwise convolutions, the second shifted by one pixel, concatenated."""

    def __init__(self, c_in, c_out, affine=True):
        super().__init__()
        self.relu = nn.ReLU(inplace=False)
        self.conv_1 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.conv_2 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(c_out, affine=affine)

    def forward(self, x):
        x = self.relu(x)
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(x[:, :, 1:, 1:])], dim=1))


OPS = {
    'none': lambda c, stride, affine: Zero(stride),
    'max_pool_3x3': lambda c, stride, affine: nn.MaxPool2d(3, stride=stride, padding=1),
    'avg_pool_3x3': lambda c, stride, affine: nn.AvgPool2d(3, stride=stride, padding=1, count_include_pad=False),
    'skip_connect': lambda c, stride, affine: Identity() if stride == 1 else FactorizedReduce(c, c, affine),
    'sep_conv_3x3': lambda c, stride, affine: SepConv(c, 3, stride, 1, affine),
    'sep_conv_5x5': lambda c, stride, affine: SepConv(c, 5, stride, 2, affine),
    'dil_conv_3x3': lambda c, stride, affine: DilConv(c, 3, stride, 2, 2, affine),
    'dil_conv_5x5': lambda c, stride, affine: DilConv(c, 5, stride, 4, 2, affine),
}


def _reductions(layers):
    """The cells that halve the resolution and double the channels: at a third and two thirds of the depth."""
    return (layers // 3, 2 * layers // 3)


def _stem(in_channels, c):
    return nn.Sequential(nn.Conv2d(in_channels, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))


# --- the evaluation network ---

def drop_path(x, drop_prob):
    """Zeroes whole examples of a branch with probability drop_prob and rescales the rest (in place, as DARTS)."""
    keep = 1. - drop_prob
    mask = x.new_empty(x.size(0), 1, 1, 1).bernoulli_(keep)
    return x.div_(keep).mul_(mask)


class EvalCell(nn.Module):
    def __init__(self, genotype, c_prev_prev, c_prev, c, reduction, reduction_prev):
        super().__init__()
        self.preprocess0 = FactorizedReduce(c_prev_prev, c) if reduction_prev else ReLUConvBN(c_prev_prev, c, 1, 1, 0)
        self.preprocess1 = ReLUConvBN(c_prev, c, 1, 1, 0)
        edges, self.concat = genotype['reduce' if reduction else 'normal']
        self.inputs = [i for _, i in edges]
        self._ops = nn.ModuleList(OPS[op](c, 2 if reduction and i < 2 else 1, True) for op, i in edges)
        self.multiplier = len(self.concat)

    def forward(self, s0, s1, drop_prob):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        for node in range(len(self._ops) // 2):
            branches = []
            for e in (2 * node, 2 * node + 1):
                h = self._ops[e](states[self.inputs[e]])
                if self.training and drop_prob > 0 and not isinstance(self._ops[e], Identity):
                    h = drop_path(h, drop_prob)
                branches.append(h)
            states.append(branches[0] + branches[1])
        return torch.cat([states[i] for i in self.concat], dim=1)


class EvalNetwork(nn.Module):
    """DARTS' NetworkCIFAR without the auxiliary head: stem, LAYERS cells of the genotype, pooling, classifier."""

    def __init__(self, c, classes, layers, genotype, in_channels=3, drop_path_prob=0.):
        super().__init__()
        self.drop_path_prob = drop_path_prob
        c_curr = 3 * c
        self.stem = _stem(in_channels, c_curr)
        c_prev_prev, c_prev, c_curr = c_curr, c_curr, c
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            reduction = i in _reductions(layers)
            if reduction:
                c_curr *= 2
            cell = EvalCell(genotype, c_prev_prev, c_prev, c_curr, reduction, reduction_prev)
            self.cells.append(cell)
            reduction_prev = reduction
            c_prev_prev, c_prev = c_prev, cell.multiplier * c_curr
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c_prev, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1, self.drop_path_prob)
        return self.classifier(self.global_pooling(s1).flatten(1))


# --- the search supernet ---

class MixedOp(nn.Module):
    """An edge of the supernet: every primitive (pools followed by a non-affine batch norm), weighted and summed."""

    def __init__(self, c, stride):
        super().__init__()
        self._ops = nn.ModuleList()
        for p in PRIMITIVES:
            op = OPS[p](c, stride, False)
            self._ops.append(nn.Sequential(op, nn.BatchNorm2d(c, affine=False)) if 'pool' in p else op)

    def forward(self, x, weights):
        return sum(w * op(x) for w, op in zip(weights, self._ops))


class SearchCell(nn.Module):
    def __init__(self, c_prev_prev, c_prev, c, reduction, reduction_prev, mixed_op, nodes=4):
        super().__init__()
        self.reduction = reduction
        self.nodes = nodes
        self.preprocess0 = (FactorizedReduce(c_prev_prev, c, affine=False) if reduction_prev
                            else ReLUConvBN(c_prev_prev, c, 1, 1, 0, affine=False))
        self.preprocess1 = ReLUConvBN(c_prev, c, 1, 1, 0, affine=False)
        # node i reads every earlier state: the two inputs and nodes 0..i-1
        self._ops = nn.ModuleList(mixed_op(c, 2 if reduction and j < 2 else 1)
                                  for i in range(nodes) for j in range(2 + i))

    def forward(self, s0, s1, weights):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        offset = 0
        for _ in range(self.nodes):
            states.append(sum(self._ops[offset + j](h, weights[offset + j]) for j, h in enumerate(states)))
            offset += len(states) - 1
        return torch.cat(states[-self.nodes:], dim=1)


class SearchNetwork(nn.Module):
    """DARTS' supernet (model_search.Network): 14 edges per cell, alphas of normal and reduction cells.
    mixed_op builds an edge (MixedOp, or PC-DARTS' partial-channel one in bench/networks_reference.py)."""

    def __init__(self, c, classes, layers, in_channels=3, mixed_op=MixedOp, nodes=4):
        super().__init__()
        self._args = (c, classes, layers, in_channels, mixed_op, nodes)
        c_curr = 3 * c
        self.stem = _stem(in_channels, c_curr)
        c_prev_prev, c_prev, c_curr = c_curr, c_curr, c
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            reduction = i in _reductions(layers)
            if reduction:
                c_curr *= 2
            self.cells.append(SearchCell(c_prev_prev, c_prev, c_curr, reduction, reduction_prev, mixed_op, nodes))
            reduction_prev = reduction
            c_prev_prev, c_prev = c_prev, nodes * c_curr
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c_prev, classes)
        edges = sum(2 + i for i in range(nodes))
        # the alphas are not module parameters: the weight optimizer must not see them
        self.alphas_normal = (1e-3 * torch.randn(edges, len(PRIMITIVES))).requires_grad_()
        self.alphas_reduce = (1e-3 * torch.randn(edges, len(PRIMITIVES))).requires_grad_()

    def arch_parameters(self):
        return [self.alphas_normal, self.alphas_reduce]

    def new(self):
        """A fresh supernet of the same shape holding copies of these alphas (new weights), as DARTS' new()."""
        twin = SearchNetwork(*self._args).to(self.alphas_normal.device)
        for mine, theirs in zip(twin.arch_parameters(), self.arch_parameters()):
            mine.data.copy_(theirs.data)
        return twin

    def forward(self, x):
        s0 = s1 = self.stem(x)
        normal, reduce = F.softmax(self.alphas_normal, dim=-1), F.softmax(self.alphas_reduce, dim=-1)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1, reduce if cell.reduction else normal)
        return self.classifier(self.global_pooling(s1).flatten(1))

    def loss(self, x, y):
        return F.cross_entropy(self(x), y)


def _flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


class Architect:
    """DARTS' architecture step: Adam (lr 3e-4, betas (0.5, 0.999), weight decay 1e-3) on the alphas, from the
    validation loss at the current weights (first order) or at the weights after one virtual SGD step (second
    order, with the Hessian-vector product by central differences, r = 0.01 / |v|)."""

    def __init__(self, net, momentum=0.9, weight_decay=3e-4, arch_lr=3e-4, arch_weight_decay=1e-3):
        self.net, self.momentum, self.weight_decay = net, momentum, weight_decay
        self.optimizer = torch.optim.Adam(net.arch_parameters(), lr=arch_lr, betas=(0.5, 0.999),
                                          weight_decay=arch_weight_decay)

    def step(self, x_train, y_train, x_val, y_val, eta, weight_optimizer, unrolled):
        self.optimizer.zero_grad()
        if unrolled:
            self._unrolled_gradient(x_train, y_train, x_val, y_val, eta, weight_optimizer)
        else:
            self.net.loss(x_val, y_val).backward()
        self.optimizer.step()

    def _unrolled_gradient(self, x_train, y_train, x_val, y_val, eta, weight_optimizer):
        net = self.net
        weights = list(net.parameters())
        theta = _flat(weights).detach()
        buffers = [weight_optimizer.state.get(w, {}).get('momentum_buffer') for w in weights]
        moment = (_flat(buffers).mul(self.momentum) if all(b is not None for b in buffers)
                  else torch.zeros_like(theta))
        grad = _flat(torch.autograd.grad(net.loss(x_train, y_train), weights)).detach()
        # the virtual step w' = w - eta (momentum + dL_train/dw + weight decay w), in a fresh network
        unrolled = net.new()
        state = net.state_dict()
        offset, stepped = 0, theta.sub(moment + (grad + self.weight_decay * theta), alpha=eta)
        for name, w in net.named_parameters():
            state[name] = stepped[offset:offset + w.numel()].view_as(w)
            offset += w.numel()
        unrolled.load_state_dict(state)
        unrolled.loss(x_val, y_val).backward()
        dalpha = [a.grad for a in unrolled.arch_parameters()]
        v = [w.grad for w in unrolled.parameters()]
        # dL_val/dalpha - eta * d2L_train/(dalpha dw) v
        r = 1e-2 / _flat(v).norm()
        grads = []
        for sign in (1, -2):
            for w, vi in zip(weights, v):
                w.data.add_(vi, alpha=sign * r)
            grads.append(torch.autograd.grad(net.loss(x_train, y_train), net.arch_parameters()))
        for w, vi in zip(weights, v):
            w.data.add_(vi, alpha=r)
        for a, g, plus, minus in zip(net.arch_parameters(), dalpha, *grads):
            a.grad = g.sub((plus - minus).div(2 * r), alpha=eta)


def search_step(net, architect, weight_optimizer, x_train, y_train, x_val, y_val, second_order, lr=0.025):
    """One step of DARTS' search loop: the architecture step, then an SGD step on the weights (gradient clip 5)."""
    net.train()
    architect.step(x_train, y_train, x_val, y_val, lr, weight_optimizer, second_order)
    weight_optimizer.zero_grad()
    net.loss(x_train, y_train).backward()
    nn.utils.clip_grad_norm_(net.parameters(), 5)
    weight_optimizer.step()
