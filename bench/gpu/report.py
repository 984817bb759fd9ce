"""Turns one bench/gpu/run.sh output folder (raw.jsonl, machine.txt) into the markdown section that
bench/results/gpu.md keeps: ProxyNAS vs PyTorch on the same card, GPU-vs-CPU agreement, and the paper-size
proxy search projected to 50 epochs. Usage: python3 bench/gpu/report.py OUT_DIR [TITLE]"""
import json, os, sys

out = sys.argv[1]
title = sys.argv[2] if len(sys.argv) > 2 else 'bench/gpu/run.sh'
rows = [json.loads(l) for l in open(os.path.join(out, 'raw.jsonl')) if l.startswith('{')]
ref = {r['row']: r for r in rows if r.get('impl') == 'pytorch'}


def ours_train(model, shape, batch):
    found = [r for r in rows if r.get('impl') == 'proxynas' and r.get('model') == model
             and r.get('input') == shape and r.get('batch') == batch and r.get('device', '').startswith('gpu')]
    return found[-1] if found else None


def ours_search(mode):
    found = [r for r in rows if r.get('impl') == 'proxynas-djl' and r.get('mode') == mode]
    return found[-1] if found else None


def cell(x, fmt='%.0f'):
    return '—' if x is None else fmt % x


lines = ['| workload | ProxyNAS (img/s) | PyTorch (img/s) | ratio |', '|---|---|---|---|']


def add(name, ours, theirs):
    ratio = ours / theirs if ours and theirs else None
    lines.append('| %s | %s | %s | %s |' % (name, cell(ours), cell(theirs), cell(ratio, '%.2f')))


for model, shape, batch, key, label in [
        ('resnet20', '3x32x32', 64, 'resnet20:3x32x32:64', 'ResNet-20, 3×32×32, batch 64'),
        ('resnet20', '1x28x28', 64, 'resnet20:1x28x28:64', 'ResNet-20, 1×28×28, batch 64'),
        ('resnet20', '1x28x28', 256, 'resnet20:1x28x28:256', 'ResNet-20, 1×28×28, batch 256'),
        ('darts_v2', '3x32x32', 96, 'darts_v2:3x32x32:96:36:20', 'DARTS_V2 C=36 L=20, 3×32×32, batch 96')]:
    o, r = ours_train(model, shape, batch), ref.get(key, {})
    add(label + ', train', o and o['train_img_per_s'], r.get('train_img_per_s'))
    add(label + ', inference', o and o['infer_img_per_s'], r.get('infer_img_per_s'))
for mode, key, label in [('darts', 'search:first:16:8', 'search step C=16 L=8, first order, batch 64'),
                         ('darts-2nd', 'search:second:16:8', 'search step C=16 L=8, second order, batch 64')]:
    o, r = ours_search(mode), ref.get(key, {})
    add(label, o and o['img_per_s'], r.get('img_per_s'))

print('## %s\n' % title)
machine = os.path.join(out, 'machine.txt')
if os.path.exists(machine):
    head = open(machine).read().split('torch/lib:')[0].strip()
    print('```\n%s\n```\n' % head)
print('\n'.join(lines) + '\n')
misplaced = [r.get('misplaced_tensors') for r in rows if r.get('impl', '').startswith('proxynas')
             and str(r.get('device', '')).startswith('gpu') and 'misplaced_tensors' in r]
if misplaced:
    print('Placement: %d benchmark runs on the GPU checked every weight, architecture weight and gradient after '
          'their steps; tensors not on the GPU: %d.\n' % (len(misplaced), sum(misplaced)))
loaders = [r for r in rows if r.get('row') == 'loader']
if loaders:
    print('Input pipeline alone (batch 64, shuffled, prefetched, uploaded to %s): %s.\n' % (
        loaders[-1].get('device'), '; '.join('%s crop %d%s%s: %s img/s' % (
            r['input'], r['crop'], ' flip' if r['flip'] else '', ' cutout %d' % r['cutout'] if r['cutout'] else '',
            format(r['img_per_s'], ',.0f')) for r in loaders)))
for r in rows:
    if r.get('row') == 'agree-gpu-cpu':
        print('GPU vs CPU (tiny search and short training, same seed): agree = **%s**; %s\n' % (
            r['agree'], ', '.join('%s %s' % (k, v) for k, v in r.items()
                                  if k not in ('impl', 'row', 'agree', 'tolerance'))))
    if r.get('row') == 'precision':
        print('Mixed precision (%s, same seed): agree with fp32 = **%s**; %s\n' % (
            r.get('workload'), r['agree'], '; '.join(
                  '%s %s' % (p, r[p] if isinstance(r.get(p), str) else ', '.join(
                      '%s %s' % (k, cell(v, '%.3f') if isinstance(v, float) else v) for k, v in r[p].items()))
                  for p in ('fp32', 'fp16', 'bf16') if p in r)))
    if r.get('row') == 'paper-proxy-search':
        print('Paper-size proxy search (Fashion-MNIST, %s-image entropy proxy, C=16, 8 cells, first order, batch 64): '
              '%d epochs in the time box, seconds per epoch %s; projected 50 epochs: **%s min** (paper: 40 min on '
              'a 10%% CIFAR-10 proxy, one GPU). Scoring (ResNet-20 training + scoring 60,000 images): %s s.\n' % (
                  r.get('proxy_examples'), r.get('epochs_done', 0),
                  ', '.join('%.1f' % s for s in r.get('epoch_seconds', [])),
                  cell(r.get('projected_50_epochs_min'), '%.1f'), cell(r.get('scoring_wall_s'), '%.0f')))
