#!/usr/bin/env bash
# The one device command of the GPU check (docs/gpu.md): on a machine with an NVIDIA GPU and the CUDA 13
# driver and libraries, possibly without a JDK and without network. Needs .gpu/bundle.tar.xz from
# tests/gpu/prepare.sh (built elsewhere, carried here). About 2-5 minutes on an H200.
#
#   tests/gpu/device.sh [GpuCheck options]      e.g. --lockstep 1,64,512,2048 --stacked-hidden 32,128,512 --threads 8
#
# 1. environment: GPU, driver, where each CUDA library was found (ldconfig -p, then known folders:
#    /usr/local/nvidia/lib64, the toolkit, pip wheels, the distribution's folders; never a search of /);
# 2. io.degen.bench.GpuCheck: env, ops (every engine op against the Java engine), grad64 (a full model's
#    float64 gradients), train (a short float32 training run against the CPU: alone, in lockstep, stacked),
#    throughput; one JSON line per stage as it completes, into $OUT/gpu-check.jsonl;
# 3. when a stage fails, crashes or times out: that stage again with CUDA_LAUNCH_BLOCKING=1
#    ($OUT/rerun.jsonl; stderr of both runs in $OUT/check.log; JVM crash logs $OUT/hs_err_PID.log);
# 4. a table on stdout and in $OUT/table.txt, everything as one JSON object in $OUT/device.json.
#
# Environment: OUT (output folder; default out/gpu-check under the repository), DEGEN_GPU_FAKE=DIR
# (emulation: use the fakecuda libraries in DIR instead of the machine's, small throughput sizes; for
# testing this script and the engine on a CPU machine), DEGEN_CUDA_LIBS=DIR[:DIR] (folders searched
# first), DEGEN_GPU_TIMEOUT (seconds for the check, default 360; the rerun gets DEGEN_GPU_RERUN_TIMEOUT, 150), DEGEN_GPU_XMX (default 16g).
# Exit: 0 pass, 1 a comparison failed or a stage crashed, 2 GPU engine unavailable, 3 no bundle.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/out/gpu-check}
mkdir -p "$OUT"
T0=$(date +%s)
ENV="$OUT/env.txt"
: > "$ENV"
note() { echo "$1=$2" >> "$ENV"; }
say() { echo "degen-gpu: $*" >&2; }

MODE=device
DEFAULTS=()
if [ -n "${DEGEN_GPU_FAKE:-}" ]; then
  MODE="emulation (fakecuda in $DEGEN_GPU_FAKE; no GPU)"
  DEGEN_CUDA_LIBS="$DEGEN_GPU_FAKE${DEGEN_CUDA_LIBS:+:$DEGEN_CUDA_LIBS}"
  # the fake NVRTC compiles the kernels with the machine's nvcc when there is one (a real sm_90 cubin)
  if [ -z "${FAKECUDA_NVCC:-}" ]; then
    for n in /usr/local/cuda/bin/nvcc /usr/local/cuda-13*/bin/nvcc "$(command -v nvcc 2>/dev/null)"; do
      [ -n "$n" ] && [ -x "$n" ] && { export FAKECUDA_NVCC="$n"; break; }
    done
  fi
  DEFAULTS=(--hidden 32 --batch 16 --time 20 --ensemble 8 --threads 2 --lockstep 1,4 --cpu-threads 2 --stacked-hidden 16,32)
  XMX=${DEGEN_GPU_XMX:-4g}
else
  DEFAULTS=(--lockstep 1,64,512,2048 --stacked-hidden 32,128,512)
  XMX=${DEGEN_GPU_XMX:-16g}
fi
note mode "$MODE"
note date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
note host "$(uname -srm) cpus=$(nproc 2>/dev/null || echo ?) mem=$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1e6}' /proc/meminfo 2>/dev/null)"

# ---- the bundle ---------------------------------------------------------------------------------
B="$ROOT/.gpu/bundle.tar.xz"
if [ ! -f "$B" ]; then
  say "no $B: run tests/gpu/prepare.sh on a machine with a JDK and Maven, then carry .gpu/"
  exit 3
fi
U=$(mktemp -d "${TMPDIR:-/tmp}/degen-gpu.XXXXXX")
CACHE="$U/javacpp-cache"
trap 'rm -rf "$U"' EXIT
if command -v xz >/dev/null 2>&1; then
  tar -C "$U" -xJf "$B" || { say "could not unpack $B"; exit 3; }
else  # no xz binary: Python's lzma
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$B" "$U" || { say "could not unpack $B (no xz, no python3?)"; exit 3; }
fi
JAVA="$U/jre/bin/java"
[ -x "$JAVA" ] || { say "the bundle has no jre/bin/java"; exit 3; }
note java "$("$JAVA" -version 2>&1 | head -1) (bundle: $(head -1 "$ROOT/.gpu/MANIFEST" 2>/dev/null))"

# ---- the GPU and the CUDA libraries ---------------------------------------------------------------
if command -v nvidia-smi >/dev/null 2>&1; then
  note gpu "$(nvidia-smi --query-gpu=name,memory.total,compute_cap,clocks.max.sm --format=csv,noheader 2>&1 | head -4 | tr '\n' ';')"
  note driver "$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>&1 | head -1)"
else
  note gpu "no nvidia-smi"
fi
# Folders to search, in order: DEGEN_CUDA_LIBS, the driver's (/usr/local/nvidia), the toolkit's, pip
# wheels (nvidia-*-cu13: nvidia/cu13/lib or nvidia/<lib>/lib), the distribution's. ldconfig -p is asked first.
CANDIDATES=()
IFS=: read -r -a extra <<< "${DEGEN_CUDA_LIBS:-}"
for d in "${extra[@]}"; do [ -n "$d" ] && [ -d "$d" ] && CANDIDATES+=("$d"); done
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 \
         /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-13*/targets/x86_64-linux/lib; do
  [ -d "$d" ] && CANDIDATES+=("$d")
done
SITES=$(python3 -c 'import site, sys; print("\n".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null || true)
for s in $SITES /opt/*/.venv/lib/python3*/site-packages /usr/local/lib/python3*/dist-packages /usr/lib/python3/dist-packages; do
  for d in "$s"/nvidia/cu13/lib "$s"/nvidia/*/lib; do [ -d "$d" ] && CANDIDATES+=("$d"); done
done
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/lib /usr/lib/wsl/lib; do [ -d "$d" ] && CANDIDATES+=("$d"); done
LDCACHE=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
find_lib() {  # prints the folder holding $1
  local name=$1 d hit
  if [ -n "${extra[*]:-}" ]; then  # DEGEN_CUDA_LIBS wins over the linker cache
    for d in "${extra[@]}"; do [ -n "$d" ] && [ -e "$d/$name" ] && { echo "$d"; return 0; }; done
  fi
  hit=$(awk -v n="$name" '$1 == n && /x86-64/ {print $NF; exit}' <<< "$LDCACHE")
  [ -n "$hit" ] && [ -e "$hit" ] && { dirname "$hit"; return 0; }
  for d in "${CANDIDATES[@]}"; do [ -e "$d/$name" ] && { echo "$d"; return 0; }; done
  return 1
}
DIRS=()
MISSING=""
for lib in libcuda.so.1 libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libnvrtc.so.13; do
  if dir=$(find_lib "$lib"); then
    note "${lib%%.so*}" "$dir/$lib -> $(readlink -f "$dir/$lib")"
    case " ${DIRS[*]:-} " in *" $dir "*) ;; *) DIRS+=("$dir") ;; esac
  else
    note "${lib%%.so*}" "NOT FOUND"
    MISSING="$MISSING $lib"
  fi
done
nvrtc_dir=$(find_lib libnvrtc.so.13 || true)
[ -n "$nvrtc_dir" ] && note libnvrtc-builtins "$(ls "$nvrtc_dir"/libnvrtc-builtins.so* 2>/dev/null | head -1 || echo "none beside libnvrtc")"
LIBPATH=$(IFS=:; echo "${DIRS[*]:-}")
export LD_LIBRARY_PATH="$LIBPATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
note libpath "$LIBPATH"
[ -n "$MISSING" ] && say "missing:$MISSING (GpuCheck will say why the engine is unavailable)"
sed 's/^/  /' "$ENV" >&2

# ---- the check ------------------------------------------------------------------------------------
# JavaCPP preloads libcudart & co. from its built-in link path (/usr/local/cuda-13.1/lib64, ...) before
# LD_LIBRARY_PATH: platform.linkpath points it at the folders found above. Crash logs go to $OUT.
JOPTS=(--add-modules jdk.incubator.vector "-Xmx$XMX" -Djava.awt.headless=true "-XX:ErrorFile=$OUT/hs_err_%p.log"
       "-Dorg.bytedeco.javacpp.platform.linkpath=$LIBPATH" "-Dorg.bytedeco.javacpp.cachedir=$CACHE"
       -Dorg.bytedeco.javacpp.logger.debug=false)
check() {  # check TIMEOUT STDOUT ARGS...
  local t=$1 o=$2; shift 2
  timeout -k 15 "$t" "$JAVA" "${JOPTS[@]}" -cp "$U/lib/*" io.degen.bench.GpuCheck "$@" > "$o" 2> >(tee -a "$OUT/check.log" | grep --line-buffered '^degen-gpu' >&2)
}
: > "$OUT/check.log"
rm -f "$OUT/rerun.jsonl" "$OUT/gpu-check.jsonl"
say "GpuCheck ${DEFAULTS[*]} $*"
check "${DEGEN_GPU_TIMEOUT:-360}" "$OUT/gpu-check.jsonl" "${DEFAULTS[@]}" "$@"
RC=$?
sleep 0.2
[ $RC -eq 124 ] || [ $RC -eq 137 ] && say "the check timed out (exit $RC)"
[ $RC -gt 128 ] && [ $RC -ne 137 ] && say "the JVM died (exit $RC); crash log: $(ls "$OUT"/hs_err_*.log 2>/dev/null | head -1)"

# The stage to rerun: the first with "ok":false, or, without a summary line, the first expected stage
# without a line (where the JVM died or the time ran out).
EXPECTED="ops grad64 train throughput"
for ((i = 1; i <= $#; i++)); do
  case "${!i}" in
    --stages) j=$((i + 1)); EXPECTED=$(echo "${!j}" | tr ',' ' ') ;;
    --skip-throughput) EXPECTED=${EXPECTED/throughput/} ;;
  esac
done
FAILED=""
if [ $RC -ne 2 ]; then
  for s in $EXPECTED; do
    [ "$s" = env ] && continue
    line=$(grep "\"stage\":\"$s\"" "$OUT/gpu-check.jsonl" 2>/dev/null | head -1)
    if [ -z "$line" ] || grep -q '"ok":false' <<< "$line"; then FAILED=$s; break; fi
  done
fi
if [ -n "$FAILED" ]; then
  say "stage $FAILED failed: rerunning it with CUDA_LAUNCH_BLOCKING=1"
  note rerun_stage "$FAILED"
  echo "==== rerun of stage $FAILED with CUDA_LAUNCH_BLOCKING=1" >> "$OUT/check.log"
  CUDA_LAUNCH_BLOCKING=1 check "${DEGEN_GPU_RERUN_TIMEOUT:-150}" "$OUT/rerun.jsonl" "${DEFAULTS[@]}" "$@" --stages "$FAILED"
  say "rerun exit $?"
fi
# ---- the PyTorch peer (issue 18's second target): the same ensemble as batched torch tensors ---------
# prepare.sh copies ../shared/peers/torch_ensemble_gpu.py into .gpu/ (not committed). It runs only
# where python3 has a CUDA torch, and only while the device call has time left (DEGEN_GPU_PEER_BUDGET,
# default: start before 420 s, at most 120 s).
PEER="$ROOT/.gpu/torch_ensemble_gpu.py"
if [ -n "${DEGEN_GPU_FAKE:-}" ]; then
  note torch_peer "not run (emulation)"
elif [ ! -f "$PEER" ]; then
  note torch_peer "not run (no $PEER: prepare.sh copies it from ../shared/peers)"
elif ! python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1; then
  note torch_peer "not run (no python3 with a CUDA torch: $(python3 -c 'import torch; print(torch.__version__, torch.cuda.is_available())' 2>&1 | tail -1))"
elif [ $(( $(date +%s) - T0 )) -gt "${DEGEN_GPU_PEER_START_BY:-420}" ]; then
  note torch_peer "not run (no time left in the device call)"
else
  say "PyTorch peer: K 512, hidden 32 128 512, fp32 and TF32"
  timeout -k 10 "${DEGEN_GPU_PEER_BUDGET:-120}" python3 "$PEER" --k 512 --hidden 32 128 512 --steps 3 --out "$OUT/torch-peer.json" \
    >> "$OUT/check.log" 2>&1
  note torch_peer "exit $?"
fi
note elapsed_s "$(( $(date +%s) - T0 ))"
note exit "$RC"

# ---- report ---------------------------------------------------------------------------------------
# keep the returned files small (16 MiB each)
if [ "$(stat -c %s "$OUT/check.log" 2>/dev/null || echo 0)" -gt 8000000 ]; then
  tail -c 8000000 "$OUT/check.log" > "$OUT/check.log.tail" && mv "$OUT/check.log.tail" "$OUT/check.log"
fi
"$JAVA" -cp "$U/lib/*" io.degen.bench.GpuCheck --report "$OUT" || true
echo "files: $(cd "$OUT" && ls | tr '\n' ' ')"
case $RC in 0|1|2|3) exit $RC ;; *) exit 1 ;; esac
