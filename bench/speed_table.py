"""Markdown table of one bench/compare.sh run: ProxyNAS / PyTorch throughput and memory per row, and the share
of ProxyNAS's wall time inside libtorch's operators. Usage: python3 bench/speed_table.py RUN.jsonl"""
import json, sys

lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
head = next(l for l in lines if l.get('header'))
rows = [l for l in lines if not l.get('header')]


def ratio(a, b):
    return '%.2f' % (a / b) if a and b else '—'


def share(x):
    return '—' if x is None or x != x else '%.0f%%' % (100 * x)


out = ['### %s, %s, %d cores (%s), load %s, %d threads, commit %s, reference PyTorch %s%s' % (
    head['date'][:10], head['date'][11:16] + 'Z', head['cores'], head['cpu'], head['load'], head['threads'],
    head['commit'], head['reference_torch'], ', QUICK' if head['quick'] else ''), '',
    '| workload | train | inference | memory | ProxyNAS in libtorch (train / infer) |', '|---|---|---|---|---|']
ours = [r for r in rows if r.get('impl') == 'proxynas']
for o in ours:
    name = 'darts_v2' if o['model'] == 'darts_v2' else 'resnet20'
    t = next((r for r in rows if r.get('impl') == 'pytorch' and r.get('model') == name and r.get('input') == o['input']
              and r.get('batch') == o['batch'] and (name == 'resnet20' or (r.get('C') == o['C']
                                                                             and r.get('layers') == o['layers']))), {})
    label = ('ResNet-20' if name == 'resnet20' else 'DARTS_V2 C=%d L=%d' % (o['C'], o['layers'])) + \
        ', %s, batch %d' % (o['input'].replace('x', '×'), o['batch'])
    out.append('| %s | %s | %s | %s | %s / %s |' % (label, ratio(o['train_img_per_s'], t.get('train_img_per_s')),
               ratio(o['infer_img_per_s'], t.get('infer_img_per_s')), ratio(o.get('maxrss_mb'), t.get('maxrss_mb')),
               share(o.get('train_kernel_share')), share(o.get('infer_kernel_share'))))
for o in [r for r in rows if r.get('impl') == 'proxynas-djl']:
    mode = 'first' if o['mode'] == 'darts' else 'second'
    t = next((r for r in rows if r.get('impl') == 'pytorch' and r.get('model') == 'darts' and r.get('mode') == mode
              and r.get('C') == o['C'] and r.get('layers') == o['layers']), {})
    out.append('| search step C=%d L=%d, %s order | %s | — | %s | %s |' % (
        o['C'], o['layers'], mode, ratio(o['img_per_s'], t.get('img_per_s')),
        ratio(o.get('maxrss_mb_peak'), t.get('maxrss_mb_peak')), share(o.get('kernel_share'))))
print('\n'.join(out))
print('\nRatios are ProxyNAS / PyTorch (throughput: higher is better; memory: peak RSS, lower is better).')
