"""Markdown table of one bench/compare.sh run: ProxyNAS / PyTorch throughput and memory per row, and the share
of ProxyNAS's wall time inside libtorch's operators. With several alternated pairs per row (PAIRS=N), a row's
k-th ProxyNAS run is paired with its k-th reference run, and each cell is the median of the pairs' ratios with
their range. A run with LIMIT=1 adds the reference network's TorchScript trace in PyTorch 1.13 and in libtorch
2.7.1 (through DJL), each against the eager reference, and ProxyNAS against the trace in its own libtorch.
Usage: python3 bench/speed_table.py RUN.jsonl"""
import json, statistics, sys

lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
head = next(l for l in lines if l.get('header'))
rows = [l for l in lines if not l.get('header')]


def training_key(r):
    key = (r['model'], r['input'], r['batch'])
    return key + (r['C'], r['layers']) if r['model'] == 'darts_v2' else key


def search_key(r):
    # ProxyNAS names the algorithm (darts, darts-2nd), the reference the order (first, second)
    mode = {'darts': 'first', 'darts-2nd': 'second'}.get(r['mode'], r['mode'])
    return mode, r['C'], r['layers']


def runs(impl, key, models=None):
    """Each row's runs on one side, in the order they ran."""
    by_key = {}
    for r in rows:
        if r.get('impl') == impl and (models is None or r.get('model') in models):
            by_key.setdefault(key(r), []).append(r)
    return by_key


def ratio(ours, ref, field):
    values = [o[field] / r[field] for o, r in zip(ours, ref) if o.get(field) and r.get(field)]
    if not values:
        return '—'
    if len(values) == 1:
        return '%.2f' % values[0]
    return '%.2f (%.2f–%.2f)' % (statistics.median(values), min(values), max(values))


def share(ours, field):
    values = [o[field] for o in ours if o.get(field) is not None and o[field] == o[field]]
    return '%.0f%%' % (100 * statistics.median(values)) if values else '—'


def both(ours, ref):
    """Training and inference ratio in one cell."""
    return '%s / %s' % (ratio(ours, ref, 'train_img_per_s'), ratio(ours, ref, 'infer_img_per_s'))


pairs = head.get('pairs', 1)
limit = head.get('limit', 0) == 1
out = ['### %s, %s, %d cores (%s), load %s, %d threads, commit %s, reference PyTorch %s%s%s' % (
    head['date'][:10], head['date'][11:16] + 'Z', head['cores'], head['cpu'], head['load'], head['threads'],
    head['commit'], head['reference_torch'], ', QUICK' if head['quick'] else '',
    ', %d alternated pairs per row: median (range)' % pairs if pairs > 1 else ''), '',
    '| workload | train | inference | memory | ProxyNAS in libtorch (train / infer) |'
    + (' trace in 1.13 / reference | trace in 2.7.1 / reference | ProxyNAS / trace in 2.7.1 |' if limit else ''),
    '|---|---|---|---|---|' + ('---|---|---|' if limit else '')]
reference = runs('pytorch', training_key, ('resnet20', 'darts_v2'))
traced_old = runs('pytorch-torchscript', training_key)
traced_new = runs('libtorch-torchscript', training_key)
for key, ours in runs('proxynas', training_key).items():
    ref = reference.get(key, [])
    model, shape, batch = key[:3]
    label = ('ResNet-20' if model == 'resnet20' else 'DARTS_V2 C=%d L=%d' % key[3:]) + \
        ', %s, batch %d' % (shape.replace('x', '×'), batch)
    out.append('| %s | %s | %s | %s | %s / %s |' % (
        label, ratio(ours, ref, 'train_img_per_s'), ratio(ours, ref, 'infer_img_per_s'),
        ratio(ours, ref, 'maxrss_mb'), share(ours, 'train_kernel_share'), share(ours, 'infer_kernel_share'))
        + (' %s | %s | %s |' % (both(traced_old.get(key, []), ref), both(traced_new.get(key, []), ref),
                                 both(ours, traced_new.get(key, []))) if limit else ''))
reference = runs('pytorch', search_key, ('darts',))
for key, ours in runs('proxynas-djl', search_key).items():
    ref = reference.get(key, [])
    out.append('| search step C=%d L=%d, %s order | %s | — | %s | %s |' % (
        key[1], key[2], key[0], ratio(ours, ref, 'img_per_s'), ratio(ours, ref, 'maxrss_mb_peak'),
        share(ours, 'kernel_share')) + (' — | — | — |' if limit else ''))
print('\n'.join(out))
print('\nRatios are ProxyNAS / PyTorch (throughput: higher is better; memory: peak RSS, lower is better).')
if limit:
    print('"trace": the reference network traced with TorchScript, run in PyTorch 1.13 or through DJL in libtorch '
          '2.7.1 with ProxyNAS\'s training loop; a trace runs the same operators as the eager network, one native '
          'call per forward pass.')
