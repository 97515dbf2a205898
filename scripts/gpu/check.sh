#!/usr/bin/env bash
# Validates a device with the published binary (scripts/gpu/publish.sh): devices; gradcheck of every op; the PTX of every
# kernel for the GPU's own architecture; bench step of the ref VQ-VAE and prior steps; profile of the ref step; bench
# sample (when the binary has it); a tiny demo-like pipeline (a few steps of each trainer, 8 samples) on DEVICE compared
# with the same run on cpu. Writes OUTDIR/report.md, OUTDIR/summary.txt (the one line it prints) and OUTDIR/raw.tar.gz (every
# command's output, the PTX, the tiny runs' metrics and samples): three files, so a machine that returns few files returns all.
#
# Usage: scripts/gpu/check.sh [DEVICE] [OUTDIR]      DEVICE: cuda (default), cuda:N, opencl:N, cpu, cpu-sim, ...
#                                                    OUTDIR: default runs/gpu-check-DEVICE; must not exist or be empty
# Environment: ILGPUVQ        the command to run (default .gpu/ilgpuvq; e.g. "dotnet src/IlgpuVq.Cli/bin/Release/net10.0/ilgpuvq.dll")
#              CHECK_BUDGET_S hard time budget of the whole check in seconds (default 480 = 8 minutes); each step gets its
#                             share plus what earlier steps left unused (at least 15 s while any time is left), and is
#                             killed at that limit
#              CHECK_STEPS    measured steps of bench/profile (default 10); CHECK_BATCH their batch size (default 32)
# Exit status: 0 when every step ran and the pipeline's losses agree with cpu, 1 otherwise, 2 for bad arguments.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
device=${1:-cuda}
outdir=${2:-$root/runs/gpu-check-${device//[:\/]/-}}
budget=${CHECK_BUDGET_S:-480}
steps=${CHECK_STEPS:-10}
batch=${CHECK_BATCH:-32}
read -ra cli <<<"${ILGPUVQ:-$root/.gpu/ilgpuvq}"

if ! command -v "${cli[0]}" >/dev/null 2>&1; then
  echo "error: ${cli[0]} not found; build it with scripts/gpu/publish.sh (or set ILGPUVQ)" >&2; exit 2
fi
if [ -d "$outdir" ] && [ -n "$(ls -A "$outdir")" ]; then
  echo "error: '$outdir' exists and is not empty; choose another OUTDIR (nothing was overwritten)" >&2; exit 2
fi
for n in "$budget" "$steps" "$batch"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "error: CHECK_BUDGET_S, CHECK_STEPS and CHECK_BATCH must be positive integers (got '$n')" >&2; exit 2; }
done
raw="$outdir/raw"
mkdir -p "$raw"
outdir=$(cd "$outdir" && pwd); raw="$outdir/raw"
start=$SECONDS

# Shares of the budget, in percent, in the order the steps run (they sum to 100).
declare -A share=([devices]=3 [gradcheck]=22 [kernels]=8 [bench_vqvae]=10 [bench_prior]=10 [profile]=12 [bench_sample]=8
  [vqvae_cpu]=4 [vqvae_dev]=5 [prior_cpu]=4 [prior_dev]=5 [sample_cpu]=4 [sample_dev]=5)
pending=100
names=(); statuses=(); seconds=(); commands=()
failures=0

# run_step NAME ARGS...: runs the binary with ARGS under this step's time limit, output in raw/NAME.txt.
run_step() {
  local name=$1; shift
  pending=$((pending - ${share[$name]}))
  local left=$((budget - (SECONDS - start))) t0=$SECONDS rc status
  local limit=$((left - budget * pending / 100))
  [ "$limit" -ge 15 ] || limit=$((left < 15 ? left : 15)) # a short step still gets its few seconds while any are left
  if [ "$limit" -lt 2 ]; then
    record "$name" "skipped: budget spent" 0 "$*"; failures=$((failures + 1)); return 1
  fi
  timeout -k 5 "$limit" "${cli[@]}" "$@" >"$raw/$name.txt" 2>&1
  rc=$?
  case $rc in
    0) status=ok ;;
    124|137) status="TIMEOUT after ${limit} s"; failures=$((failures + 1)) ;;
    *) status="FAIL (exit $rc)"; failures=$((failures + 1)) ;;
  esac
  record "$name" "$status" $((SECONDS - t0)) "$*"
  [ "$rc" = 0 ]
}

record() { names+=("$1"); statuses+=("$2"); seconds+=("$3"); commands+=("ilgpuvq $4"); }

skip_step() { pending=$((pending - ${share[$1]})); record "$1" "skipped: $2" 0 "$3"; }

# The GPU's own architecture for the PTX (sm_80 when it cannot be asked: PTX is forward compatible).
arch=sm_80
if [[ "$device" == cuda* ]] && command -v nvidia-smi >/dev/null 2>&1; then
  index=0; [[ "$device" =~ ^cuda:([0-9]+)$ ]] && index=${BASH_REMATCH[1]}
  cap=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | sed -n "$((index + 1))p")
  [[ "$cap" =~ ^[0-9]+\.[0-9]+$ ]] && arch="sm_${cap/./}"
fi

run_step devices devices
run_step gradcheck gradcheck --device "$device"
run_step kernels kernels --emit ptx --arch "$arch" --out "$raw/ptx"
run_step bench_vqvae bench step --preset ref --model vqvae --batch-size "$batch" --steps "$steps" --device "$device"
run_step bench_prior bench step --preset ref --model prior --batch-size "$batch" --steps "$steps" --device "$device"
run_step profile profile --preset ref --batch-size "$batch" --steps "$steps" --device "$device"
# `bench sample` comes from another change; an unknown subcommand's --help prints bench's own help, so look for it there.
if "${cli[@]}" bench --help 2>&1 | grep -qE '^[[:space:]]+sample([[:space:]]|$)' &&
   "${cli[@]}" bench sample --help >"$raw/bench_sample_help.txt" 2>&1; then
  sample_args=(bench sample --device "$device")
  for opt in preset:ref batch:"$batch" steps:"$steps"; do
    grep -q -- "--${opt%%:*}" "$raw/bench_sample_help.txt" && sample_args+=("--${opt%%:*}" "${opt#*:}")
  done
  run_step bench_sample "${sample_args[@]}"
else
  skip_step bench_sample "this binary has no 'bench sample'" "bench sample"
fi

# The tiny pipeline. Each device stage gets the same inputs as its cpu stage (the prior trains on the cpu VQ-VAE's codes,
# sampling uses the cpu VQ-VAE and prior), so a difference is this device's arithmetic, not an earlier stage's.
runs="$raw/runs"
data=(--data synthetic:48:16 --image-size 16 --test-size 8 --seed 3 --cache-dir "$raw/cache")
vq=(train vqvae --preset demo --num-codes 16 --epochs 2 --batch-size 8 --no-augment --grid-every 2 "${data[@]}")
prior=(train prior --layers 2 --channels 16 --head-channels 16 --epochs 2 --batch-size 8 --grid-every 2 --cache-dir "$raw/cache")
run_step vqvae_cpu "${vq[@]}" --device cpu --out "$runs/vqvae_cpu" && have_vq=1 || have_vq=0
run_step vqvae_dev "${vq[@]}" --device "$device" --out "$runs/vqvae_dev"
if [ "$have_vq" = 1 ]; then
  run_step prior_cpu "${prior[@]}" --vqvae "$runs/vqvae_cpu" --device cpu --out "$runs/prior_cpu" && have_prior=1 || have_prior=0
  run_step prior_dev "${prior[@]}" --vqvae "$runs/vqvae_cpu" --device "$device" --out "$runs/prior_dev"
else
  have_prior=0
  skip_step prior_cpu "no cpu VQ-VAE" "train prior"; skip_step prior_dev "no cpu VQ-VAE" "train prior"
fi
sample=(sample --vqvae "$runs/vqvae_cpu" --prior "$runs/prior_cpu" --count 8 --seed 1)
if [ "$have_prior" = 1 ]; then
  run_step sample_cpu "${sample[@]}" --device cpu --out "$runs/samples_cpu.png" --out-dir "$runs/samples_cpu"
  run_step sample_dev "${sample[@]}" --device "$device" --out "$runs/samples_dev.png" --out-dir "$runs/samples_dev"
else
  skip_step sample_cpu "no cpu prior" "sample"; skip_step sample_dev "no cpu prior" "sample"
fi

# The report.
compare="$root/scripts/gpu/compare.py"
python=$(command -v python3 || true)
loss_result="not compared"; sample_result="not compared"
{
  echo "## Tiny pipeline: $device against cpu"
  echo
  echo "VQ-VAE (demo preset, 16 codes) and prior (2 layers, 16 channels), 2 epochs of 5 steps each on 40 synthetic 16 px"
  echo "images, then 8 samples with seed 1. The $device prior trains on the cpu VQ-VAE; both samplers use the cpu models."
  echo
  for pair in "VQ-VAE|vqvae|train_recon_loss train_quant_loss val_recon_loss val_quant_loss" "prior|prior|train_nll val_nll"; do
    IFS='|' read -r title stem cols <<<"$pair"
    a="$runs/${stem}_cpu/metrics.csv"; b="$runs/${stem}_dev/metrics.csv"
    echo "### $title losses"; echo
    if [ -z "$python" ]; then echo "not compared: no python3 on this machine"; echo
    elif [ -f "$a" ] && [ -f "$b" ]; then
      # shellcheck disable=SC2086
      if "$python" "$compare" losses "$a" "$b" $cols; then
        [ "$loss_result" = "not compared" ] && loss_result="losses within tolerance"
      else loss_result="LOSSES DIFFER"; failures=$((failures + 1)); fi
    else echo "not compared: a run did not finish"; echo; loss_result="LOSSES MISSING"; failures=$((failures + 1)); fi
  done
  echo "### Samples"; echo
  if [ -n "$python" ] && [ -d "$runs/samples_cpu" ] && [ -d "$runs/samples_dev" ]; then
    "$python" "$compare" samples "$runs/samples_cpu" "$runs/samples_dev" | tee "$raw/samples_compare.md"
    sample_result="samples $(sed -n 's/^\([0-9]* of [0-9]*\) samples with equal codes$/\1/p' "$raw/samples_compare.md") equal"
  else echo "not compared"; echo; fi
} >"$raw/pipeline.md"

build_info=$( (cat "$(dirname "${cli[0]}")/BUILD_INFO" 2>/dev/null || echo "build info: none (not a published binary)") | paste -sd ';' - | sed 's/;/; /g')
gradline=$(tail -n 1 "$raw/gradcheck.txt" 2>/dev/null)
ok=0; for s in "${statuses[@]}"; do [ "$s" = ok ] && ok=$((ok + 1)); done
verdict=$([ "$failures" = 0 ] && echo PASS || echo FAIL)
summary="gpu check $device: $verdict, $ok/${#names[@]} steps ok, gradcheck: ${gradline:-none}, pipeline: $loss_result, $sample_result, $((SECONDS - start)) s of $budget s ($outdir/report.md)"

section() { # title file [lines]
  echo "## $1"; echo
  if [ -f "$2" ]; then echo '```'; if [ -n "${3:-}" ]; then grep -E "$3" "$2"; else cat "$2"; fi; echo '```'; else echo "(no output)"; fi
  echo
}
{
  echo "# GPU check: $device"
  echo
  echo "$summary"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(uname -n), $(nproc) cores; binary: ${cli[*]} ($build_info)"
  command -v nvidia-smi >/dev/null 2>&1 && echo "- nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader 2>/dev/null | paste -sd ';' -)"
  echo "- budget ${budget} s, bench/profile: batch $batch, $steps measured steps; PTX for $arch"
  echo
  echo "## Steps"
  echo
  echo "| step | status | seconds | command |"
  echo "|---|---|---|---|"
  for i in "${!names[@]}"; do echo "| ${names[$i]} | ${statuses[$i]} | ${seconds[$i]} | \`${commands[$i]//$outdir/OUTDIR}\` |"; done
  echo
  section "devices" "$raw/devices.txt"
  section "gradcheck (failures and summary; full table in raw/gradcheck.txt)" "$raw/gradcheck.txt" 'FAIL|passed|error'
  section "bench step, ref VQ-VAE" "$raw/bench_vqvae.txt"
  section "bench step, ref prior" "$raw/bench_prior.txt"
  section "profile, ref VQ-VAE step" "$raw/profile.txt"
  section "bench sample" "$raw/bench_sample.txt"
  cat "$raw/pipeline.md"
  section "kernels: PTX size, shared and local (spill) memory per kernel, $arch" "$raw/kernels.txt"
} >"$outdir/report.md"
echo "$summary" >"$outdir/summary.txt"
tar -czf "$outdir/raw.tar.gz" -C "$outdir" --exclude=raw/cache --exclude=checkpoints raw && rm -rf "$raw"
echo "$summary"
[ "$failures" = 0 ]
