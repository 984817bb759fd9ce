"""Where a training step's time goes, per libtorch operator, ProxyNAS next to the PyTorch reference.

Reads two Chrome traces of the same number of steps (ProxyNAS: TrainBench with -Dbench.kernelShare=true
-Dbench.profileOut=PREFIX, the first file is the training; reference: PROFILE=FILE bench/train_reference.py)
and prints, per operator name, the total time in each (nested operators count in their parents too) and the
ratio, largest totals (of either side) first. Usage: python3 bench/op_profile.py OURS.json REFERENCE.json STEPS [TOP]
"""
import collections
import json
import sys


def totals(path):
    with open(path) as f:
        data = json.load(f)
    events = data['traceEvents'] if isinstance(data, dict) else data
    sums, counts = collections.Counter(), collections.Counter()
    for e in events:
        if e.get('ph', 'X') == 'X' and 'dur' in e and e.get('name', '').startswith('aten::'):
            sums[e['name']] += e['dur']
            counts[e['name']] += 1
    return sums, counts


ours, ours_n = totals(sys.argv[1])
ref, ref_n = totals(sys.argv[2])
steps = int(sys.argv[3])
top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
print('| operator | ProxyNAS ms/step | calls/step | reference ms/step | calls/step | ratio |')
print('|---|---|---|---|---|---|')
# ordered by the larger side's time, so that an operator only the reference runs shows too
for name in sorted(ours.keys() | ref.keys(), key=lambda n: -max(ours[n], ref[n]))[:top]:
    us, r = ours[name], ref[name]
    print('| %s | %.2f | %.0f | %.2f | %.0f | %s |' % (name, us / 1e3 / steps, ours_n[name] / steps, r / 1e3 / steps,
                                                  ref_n[name] / steps, '%.2f' % (us / r) if r else '-'))
