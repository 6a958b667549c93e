#!/usr/bin/env bash
# Monte Carlo checks on a machine with an NVIDIA GPU, using a self-contained build of the CLI:
#   dotnet publish app/MeTAI.Cli/MeTAI.Cli.csproj -c Release -r linux-x64 --self-contained true \
#     -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -o .publish/metai
#   tools/gpu-check.sh [OUTDIR]
# Writes: gpu.txt, bench-cuda.json, water-cuda-summary.json, water-cuda-pdd.csv, water-cuda-profile.csv,
# determinism.txt, bench-cpu.json (the same benchmark on this machine's CPUs).
set -uo pipefail
export METAI_HOME="$PWD"
M="$PWD/.publish/metai/metai"
out="${1:-${OUT:-/tmp/metai-gpu-check}}"
mkdir -p "$out"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; echo "cpus: $(nproc)"; grep -m1 "model name" /proc/cpuinfo; date -u; } | tee "$out/gpu.txt"
"$M" bench dose --device cuda --seconds 30 --json | tee "$out/bench-cuda.json"
"$M" dose --phantom water --field 10x10 --ssd 100 --histories 200000000 --voxel 5 --device cuda --seed 11 --out /tmp/metai-w \
  && cp /tmp/metai-w/summary.json "$out/water-cuda-summary.json" && cp /tmp/metai-w/pdd.csv "$out/water-cuda-pdd.csv" \
  && cp /tmp/metai-w/profile.csv "$out/water-cuda-profile.csv"
for r in a b; do "$M" dose --phantom water --histories 20000000 --voxel 5 --device cuda --seed 5 --out "/tmp/metai-det-$r" > /dev/null; done
if cmp -s /tmp/metai-det-a/pdd.csv /tmp/metai-det-b/pdd.csv && cmp -s /tmp/metai-det-a/profile.csv /tmp/metai-det-b/profile.csv; then
  echo "same seed twice on CUDA: identical depth dose and profile" | tee "$out/determinism.txt"
else
  echo "same seed twice on CUDA: DIFFERENT" | tee "$out/determinism.txt"
fi
"$M" bench dose --device cpu --seconds 20 --json | tee "$out/bench-cpu.json"
