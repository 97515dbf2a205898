#!/usr/bin/env bash
# The real-photo quality check: the demo's models on a real-photograph set (from make.sh), with and without class-balanced
# VQ-VAE batches, one evaluator classifier for both, then `evaluate`. Deterministic for the set and the seeds.
# Usage: scripts/real-photos/pipeline.sh DATA OUT [VQ_EPOCHS] [PRIOR_EPOCHS]   (run from the repo root after a Release build)
#   e.g. scripts/real-photos/pipeline.sh /work/realdata/photos-ham32 runs/real 8 3
# Environment: MODES (default "unbalanced balanced"), LABEL_DROPOUT (the prior's, default 0), GUIDANCE (the scales to
# evaluate, default "1"; above 1 needs LABEL_DROPOUT > 0), e.g. MODES=unbalanced LABEL_DROPOUT=0.2 GUIDANCE="1 2" for the
# classifier-free guidance check; PRIOR_ARGS (default "--layers 10") for the prior's other options, e.g.
# PRIOR_ARGS="--layers 6 --balance --lr-schedule cosine" for the demo's prior (code maps of the flips too, the default; add
# --no-augment for the images' own maps only).
# Writes OUT/{cls,vq-MODE,prior-MODE,eval-MODE-gS} and prints each evaluation's summary lines.
set -euo pipefail
data=${1:?usage: pipeline.sh DATA OUT [VQ_EPOCHS] [PRIOR_EPOCHS]}
out=${2:?usage: pipeline.sh DATA OUT [VQ_EPOCHS] [PRIOR_EPOCHS]}
vq_epochs=${3:-8}
prior_epochs=${4:-3}
ilgpuvq() { dotnet run -c Release --no-build --project src/IlgpuVq.Cli -- "$@"; }
size=$(basename "$data" | grep -oE '[0-9]+$' || echo 32)
mkdir -p "$out"
ilgpuvq train classifier --data "$data" --image-size "$size" --epochs 8 --out "$out/cls" --device cpu > "$out/cls.log"
for mode in ${MODES:-unbalanced balanced}; do
  extra=(); [ "$mode" = balanced ] && extra=(--balance)
  ilgpuvq train vqvae --preset demo --data "$data" --image-size "$size" --epochs "$vq_epochs" "${extra[@]}" \
    --out "$out/vq-$mode" --device cpu > "$out/vq-$mode.log"
  # shellcheck disable=SC2086 # PRIOR_ARGS is a list of options
  ilgpuvq train prior --vqvae "$out/vq-$mode" ${PRIOR_ARGS:---layers 10} --channels 64 --head-channels 128 --epochs "$prior_epochs" --lr 2e-3 \
    --label-dropout "${LABEL_DROPOUT:-0}" --out "$out/prior-$mode" --device cpu > "$out/prior-$mode.log"
  for s in ${GUIDANCE:-1}; do
    echo "== $mode VQ-VAE batches, guidance $s"
    ilgpuvq evaluate --vqvae "$out/vq-$mode" --prior "$out/prior-$mode" --classifier "$out/cls" --count 20 --seed 1 \
      --guidance "$s" --out "$out/eval-$mode-g$s" --device cpu | tail -5
  done
done
