#!/usr/bin/env bash
# Builds the self-contained, single-file, compressed `ilgpuvq` for linux-x64 into .gpu/ (git-ignored), the one thing to
# carry to a GPU machine that has no .NET SDK: `.gpu/ilgpuvq` runs there as it is. Also writes .gpu/BUILD_INFO (commit,
# date, size) for the report of scripts/gpu/check.sh.
# Fails loudly when the binary is over 60 MB: everything carried to the GPU machine (repository + .gpu) is limited to
# 64 MiB. Usage: scripts/gpu/publish.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
limit=$((60 * 1000 * 1000))
out=.gpu
rm -rf "$out"
dotnet publish src/IlgpuVq.Cli/IlgpuVq.Cli.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:DebugType=none -p:DebugSymbols=false -o "$out" -v quiet -nologo
bin="$out/ilgpuvq"
[ -x "$bin" ] || { echo "error: publish wrote no $bin" >&2; exit 1; }
size=$(stat -c %s "$bin")
if [ "$size" -gt "$limit" ]; then
  echo "error: $bin is $size bytes, over the 60 MB limit ($limit bytes): it would not fit in the 64 MiB carried to a GPU machine" >&2
  exit 1
fi
extra=$(find "$out" -type f ! -name ilgpuvq | head -n 5)
[ -z "$extra" ] || { echo "error: publish left other files next to the binary (not single-file): $extra" >&2; exit 1; }
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain 2>/dev/null | grep -qv '^??' && echo "+changes" || true)
printf 'commit %s%s\nbuilt %s\nsize %s bytes\n' "$commit" "$dirty" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$size" > "$out/BUILD_INFO"
echo "published $bin: $((size / 1000000)) MB ($size bytes, limit 60 MB), commit $commit$dirty"
