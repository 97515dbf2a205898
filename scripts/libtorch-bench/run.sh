#!/usr/bin/env bash
# libtorch (TorchSharp-cpu 0.107.0 = libtorch 2.10.0, CPU, 2 threads) training-step throughput of the `ref` VQ-VAE and
# prior. Usage: ./run.sh [ROUNDS] [--model vqvae|prior|both|matmul] [--threads N] [--no-ema] [--warmup N] [--steps N]
# Builds (Release) when the build is missing or older than the sources, then runs. Environment passes through, e.g.
#   OMP_WAIT_POLICY=PASSIVE ./run.sh 1     # on a loaded machine: OpenMP workers sleep instead of spinning
#   ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 ./run.sh 1
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proj="$here/TorchBench"
out="$proj/bin/Release/net10.0/linux-x64"
dll="$out/TorchBench.dll"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [[ ! -f "$dll" ]] || [[ -n "$(find "$proj" -maxdepth 1 \( -name '*.cs' -o -name '*.csproj' \) -newer "$dll")" ]]; then
  echo "run.sh: building $proj (Release)" >&2
  dotnet build "$proj" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi

# libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13) only for a symbol it never binds; with an older system
# libstdc++ (Debian 12: GLIBCXX_3.4.30) mark that requirement weak in the build output's copy (idempotent, checked
# safe; see compat/fix_libstdcxx.py). The NuGet cache is left alone. A build may copy the original back: redo it here.
python3 "$here/compat/fix_libstdcxx.py" "$out/libLibTorchSharp.so" >&2
# A failed load makes TorchSharp copy unpatched libraries into cpu/ and retry from there: keep no stale copy.
rm -rf "$out/cpu"

# Optional: TORCHBENCH_LD_LIBRARY_PATH=/dir/with/newer/libstdc++ (the other fix, where patching is refused).
if [[ -n "${TORCHBENCH_LD_LIBRARY_PATH:-}" ]]; then
  export LD_LIBRARY_PATH="$TORCHBENCH_LD_LIBRARY_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

exec dotnet "$dll" "${1:-1}" "${@:2}"
