#!/usr/bin/env bash
# Which scoring recipe puts the demo's 2,000 Fashion-MNIST images in the paper's regime (a scorer that has fit its
# data, score.ScorerRegime) within about two minutes on this machine: each recipe scores the first N training
# images with `proxynas score`, then P1 selects a 10% proxy for three seeds. Per recipe: train accuracy and median
# entropy (the regime's two measures), the share of examples above 0.1 and 1 nat, the training time, and the
# smallest and largest class share of the P1 proxies. The authors' published CIFAR-10 list, for comparison:
# 100% (200 epochs), median 2.8e-5 nats, 5.2% above 0.1, 0.06% above 1, 6-13% of the proxy per class.
# Usage: bench/scoring-regime.sh [N]   (default 2000; about 15 minutes on 2 cores). Appends to
# bench/results/scoring-regime.md.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
work=$(mktemp -d -p "${TMPDIR:-target}" scoring-regime.XXXXXX)
trap 'rm -rf "$work"' EXIT
. bench/lib.sh
./proxynas --version >/dev/null

recipes=(
    "paper's, 3 epochs (the old demo)|--epochs 3 --batch-size 128"
    "paper's, 40 epochs|--epochs 40 --batch-size 64"
    "cosine, 40 epochs|--epochs 40 --batch-size 64 --schedule cosine"
    "cosine, no augmentation, 20 epochs|--epochs 20 --batch-size 64 --schedule cosine --no-augment"
    "cosine, no augmentation, 30 epochs|--epochs 30 --batch-size 64 --schedule cosine --no-augment"
    "cosine, no augmentation, 40 epochs (the demo's)|--epochs 40 --batch-size 64 --schedule cosine --no-augment"
    "cosine, no augmentation, 40 epochs, seed 1|--epochs 40 --batch-size 64 --schedule cosine --no-augment --seed 1"
    "cosine, no augmentation, 40 epochs, seed 2|--epochs 40 --batch-size 64 --schedule cosine --no-augment --seed 2"
)

{
    echo
    echo "## $(date -u +%F): the first $n Fashion-MNIST images, $(cpu_cores) cores, $(cpu_model), commit $(git rev-parse --short HEAD)"
    echo
    echo "| recipe | train accuracy | median entropy (nats) | > 0.1 nat | > 1 nat | in the regime | training | P1 proxy: smallest / largest class share (3 seeds) |"
    echo "|---|---|---|---|---|---|---|---|"
} >> bench/results/scoring-regime.md

for recipe in "${recipes[@]}"; do
    name=${recipe%%|*}
    read -r -a flags <<< "${recipe#*|}"
    dir="$work/$(echo "$name" | tr -c 'a-z0-9' '-')"
    ./proxynas score fashion-mnist --limit "$n" --test-limit 1000 --out "$dir/scores.csv" "${flags[@]}" \
        > "$dir.log" 2>&1
    for seed in 0 1 2; do
        ./proxynas select --scores "$dir/scores.csv" --ratio 0.1 --seed "$seed" --out "$dir/proxy-$seed.json" \
            > /dev/null 2>&1
    done
    python3 - "$dir" "$name" >> bench/results/scoring-regime.md <<'PY'
import csv, json, sys
d, name = sys.argv[1], sys.argv[2]
s = json.load(open(f"{d}/scores.json"))
h = [float(r["entropy"]) for r in csv.DictReader(open(f"{d}/scores.csv"))]
shares = []
for seed in range(3):
    p = json.load(open(f"{d}/proxy-{seed}.json"))
    c = p["stats"]["classCountsSelected"]
    shares += [min(c) / p["size"], max(c) / p["size"]]
lo, hi = min(shares[0::2]), max(shares[1::2])
r = s["regime"]
print(f"| {name} | {100 * s['trainAccuracy']:.1f}% | {r['medianEntropy']:.2g} | "
      f"{100 * sum(x > 0.1 for x in h) / len(h):.1f}% | {100 * sum(x > 1 for x in h) / len(h):.2f}% | "
      f"{'yes' if r['fitted'] else 'no'} | {s['trainingSeconds']:.0f} s | {100 * lo:.1f}% / {100 * hi:.1f}% |")
PY
done
echo "appended to bench/results/scoring-regime.md"
