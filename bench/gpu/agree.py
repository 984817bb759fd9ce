"""GPU vs CPU agreement of bench/gpu/run.sh's phase 'agree': the same tiny search and the same short
training (same seed, same data order, weights drawn on the CPU on both sides) run once on each device; this
compares their per-epoch logs and prints one JSON line. The devices round differently (cuDNN picks other
convolution algorithms and uses TF32, as PyTorch does by default), so the runs agree within a tolerance,
not bit for bit: losses within 2% relative, architecture weights within 0.01, accuracies within 2 points.

Usage: python3 agree.py GPU_DIR CPU_DIR   (each holding search/log.jsonl and train/log.jsonl)
"""
import json, os, sys

LOSS_REL, ALPHA_ABS, ACC_ABS = 0.02, 0.01, 0.02


def lines(path):
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


def flat(arch):
    return [v for rows in (arch['normal'], arch['reduce']) for row in rows for v in row]


gpu, cpu = sys.argv[1], sys.argv[2]
out = dict(impl='proxynas', row='agree-gpu-cpu', tolerance=dict(loss_rel=LOSS_REL, alpha_abs=ALPHA_ABS, acc_abs=ACC_ABS))
s_g, s_c = lines(os.path.join(gpu, 'search', 'log.jsonl')), lines(os.path.join(cpu, 'search', 'log.jsonl'))
t_g, t_c = lines(os.path.join(gpu, 'train', 'log.jsonl')), lines(os.path.join(cpu, 'train', 'log.jsonl'))
checks = []
if s_g and len(s_g) == len(s_c):
    out['search_loss_rel'] = max(max(rel(a['trainLoss'], b['trainLoss']), rel(a['valLoss'], b['valLoss']))
                                 for a, b in zip(s_g, s_c))
    out['search_alpha_abs'] = max(max(abs(x - y) for x, y in zip(flat(a['architecture']), flat(b['architecture'])))
                                  for a, b in zip(s_g, s_c))
    out['search_val_acc_abs'] = max(abs(a['valAccuracy'] - b['valAccuracy']) for a, b in zip(s_g, s_c))
    out['search_genotype_equal'] = s_g[-1]['genotype'] == s_c[-1]['genotype']
    out['search_seconds'] = dict(gpu=sum(e['seconds'] for e in s_g), cpu=sum(e['seconds'] for e in s_c))
    checks += [out['search_loss_rel'] <= LOSS_REL, out['search_alpha_abs'] <= ALPHA_ABS,
               out['search_val_acc_abs'] <= ACC_ABS]
else:
    out['search_error'] = 'missing or unequal search logs: gpu %d epochs, cpu %d' % (len(s_g), len(s_c))
    checks.append(False)
if t_g and len(t_g) == len(t_c):
    out['train_loss_rel'] = max(rel(a['trainLoss'], b['trainLoss']) for a, b in zip(t_g, t_c))
    out['train_test_acc_abs'] = max(abs(a['testAccuracy'] - b['testAccuracy']) for a, b in zip(t_g, t_c))
    out['train_seconds'] = dict(gpu=sum(e['seconds'] for e in t_g), cpu=sum(e['seconds'] for e in t_c))
    checks += [out['train_loss_rel'] <= LOSS_REL, out['train_test_acc_abs'] <= ACC_ABS]
else:
    out['train_error'] = 'missing or unequal training logs: gpu %d epochs, cpu %d' % (len(t_g), len(t_c))
    checks.append(False)
out['agree'] = all(checks)
print(json.dumps(out))
