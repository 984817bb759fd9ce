"""Mixed precision of bench/gpu/run.sh's phase 'precision': the same DARTS_V2 training (same seed, data order
and initial weights) in fp32, fp16 and bf16 on the GPU; prints one JSON line with each run's training
throughput (images per second of its last epoch, the first holds cuDNN's autotuning) and how far its losses and
test accuracy are from fp32's: training losses within 5% relative, test accuracy within 3 points (16-bit
rounding changes the trajectory, not where it goes).

Usage: python3 precision.py FP32_DIR FP16_DIR BF16_DIR [WORKLOAD]   (each a `proxynas train --out` directory;
WORKLOAD: what was trained, in words, for the report)
"""
import json, os, sys

LOSS_REL, ACC_ABS = 0.05, 0.03


def lines(d):
    path = os.path.join(d, 'log.jsonl')
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []


runs = dict(zip(('fp32', 'fp16', 'bf16'), (lines(d) for d in sys.argv[1:4])))
base = runs['fp32']
out = dict(impl='proxynas', row='precision', workload=sys.argv[4] if len(sys.argv) > 4 else None,
           tolerance=dict(loss_rel=LOSS_REL, acc_abs=ACC_ABS))
checks = []
for name, log in runs.items():
    if not log:
        out[name] = 'no log (see logs/precision-%s.log)' % name
        checks.append(False)
        continue
    r = dict(images_per_second=log[-1]['imagesPerSecond'], train_loss=[e['trainLoss'] for e in log],
             test_accuracy=log[-1]['testAccuracy'])
    if base and name != 'fp32' and len(log) == len(base):
        r['loss_rel'] = max(abs(a['trainLoss'] - b['trainLoss']) / abs(b['trainLoss']) for a, b in zip(log, base))
        r['acc_abs'] = abs(log[-1]['testAccuracy'] - base[-1]['testAccuracy'])
        r['speedup'] = log[-1]['imagesPerSecond'] / base[-1]['imagesPerSecond']
        checks += [r['loss_rel'] <= LOSS_REL, r['acc_abs'] <= ACC_ABS]
    out[name] = r
out['agree'] = bool(checks) and all(checks)
print(json.dumps(out))
