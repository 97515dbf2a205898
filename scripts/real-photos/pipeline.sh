#!/usr/bin/env bash
# The real-photo quality check: the demo's models on a real-photograph set (from make.sh), with and without class-balanced
# VQ-VAE batches, one evaluator classifier for both, then `evaluate`. Deterministic for the set and the seeds.
# Usage: scripts/real-photos/pipeline.sh DATA OUT [VQ_EPOCHS] [PRIOR_EPOCHS]   (run from the repo root after a Release build)
#   e.g. scripts/real-photos/pipeline.sh /work/realdata/photos-ham32 runs/real 8 3
# Writes OUT/{cls,vq-unbalanced,vq-balanced,prior-*,eval-*} and prints each evaluation's summary lines.
set -euo pipefail
data=${1:?usage: pipeline.sh DATA OUT [VQ_EPOCHS] [PRIOR_EPOCHS]}
out=${2:?usage: pipeline.sh DATA OUT [VQ_EPOCHS] [PRIOR_EPOCHS]}
vq_epochs=${3:-8}
prior_epochs=${4:-3}
ilgpuvq() { dotnet run -c Release --no-build --project src/IlgpuVq.Cli -- "$@"; }
size=$(basename "$data" | grep -oE '[0-9]+$' || echo 32)
mkdir -p "$out"
ilgpuvq train classifier --data "$data" --image-size "$size" --epochs 8 --out "$out/cls" --device cpu > "$out/cls.log"
for mode in unbalanced balanced; do
  extra=(); [ "$mode" = balanced ] && extra=(--balance)
  ilgpuvq train vqvae --preset demo --data "$data" --image-size "$size" --epochs "$vq_epochs" "${extra[@]}" \
    --out "$out/vq-$mode" --device cpu > "$out/vq-$mode.log"
  ilgpuvq train prior --vqvae "$out/vq-$mode" --layers 10 --channels 64 --head-channels 128 --epochs "$prior_epochs" --lr 2e-3 \
    --out "$out/prior-$mode" --device cpu > "$out/prior-$mode.log"
  echo "== $mode VQ-VAE batches"
  ilgpuvq evaluate --vqvae "$out/vq-$mode" --prior "$out/prior-$mode" --classifier "$out/cls" --count 20 --seed 1 \
    --out "$out/eval-$mode" --device cpu | tail -5
done
