#!/usr/bin/env bash
# GPU check for a machine with an NVIDIA GPU and the CUDA 13 driver and libraries, possibly without a
# JDK and without network. Needs .gpu/ from tests/gpu/prepare.sh (run elsewhere, then carried here).
# Finds libcudart/libcublas/libcublasLt/libnvrtc .so.13 (and libcuda.so.1), then runs
# io.degen.backend.cuda.GpuCheck and prints its one JSON line on stdout (also into $OUT/gpu-check.json
# when $OUT is set). Extra arguments go to GpuCheck, e.g. --ensemble 200 --threads 8 --steps 2.
# Exit: 0 pass, 1 GPU and CPU disagree, 2 GPU engine unavailable, 3 bundle or libraries missing.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
G="$ROOT/.gpu"
JAVA="$G/jre/bin/java"
[ -x "$JAVA" ] || JAVA=$(command -v java || true)
if [ -z "$JAVA" ] || [ ! -d "$G/lib" ]; then
  echo "no .gpu bundle: run tests/gpu/prepare.sh on a machine with a JDK and Maven, then carry .gpu/" >&2
  exit 3
fi

# Candidate library folders: toolkit installs, the distribution's folders, pip wheels (nvidia-*-cu13).
CANDIDATES=()
for d in /usr/local/cuda*/lib64 /usr/local/cuda*/targets/x86_64-linux/lib /usr/lib/x86_64-linux-gnu /usr/lib64 \
         /usr/local/lib /usr/lib/wsl/lib; do
  [ -d "$d" ] && CANDIDATES+=("$d")
done
SITES=""
for py in python3 python; do
  if command -v "$py" >/dev/null 2>&1; then
    SITES=$("$py" -c 'import site,sys; print("\n".join(site.getsitepackages()+[site.getusersitepackages()]+sys.path))' 2>/dev/null || true)
    break
  fi
done
for s in $SITES /usr/local/lib/python3*/dist-packages /usr/local/lib/python3*/site-packages /usr/lib/python3/dist-packages \
         /opt/conda/lib/python3*/site-packages "$HOME"/.local/lib/python3*/site-packages; do
  for d in "$s"/nvidia/*/lib "$s"/nvidia/cu13/lib; do [ -d "$d" ] && CANDIDATES+=("$d"); done
done

DIRS=()
find_lib() {
  local name=$1 d
  for d in "${CANDIDATES[@]}"; do
    if [ -e "$d/$name" ]; then echo "$d"; return 0; fi
  done
  # last resort: search the file system (bounded)
  d=$(timeout 60 find / -xdev -name "$name" -not -path '*/proc/*' -print -quit 2>/dev/null || true)
  [ -n "$d" ] && { dirname "$d"; return 0; }
  return 1
}
MISSING=""
for lib in libcuda.so.1 libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libnvrtc.so.13; do
  if dir=$(find_lib "$lib"); then
    echo "found $lib in $dir" >&2
    case ":$(IFS=:; echo "${DIRS[*]:-}"):" in *":$dir:"*) ;; *) DIRS+=("$dir") ;; esac
  else
    echo "NOT FOUND: $lib" >&2
    MISSING="$MISSING $lib"
  fi
done
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2
LIBPATH=$(IFS=:; echo "${DIRS[*]:-}")
export LD_LIBRARY_PATH="$LIBPATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH" >&2
[ -n "$MISSING" ] && echo "missing:$MISSING (GpuCheck will report why the engine is unavailable)" >&2

CACHE=$(mktemp -d "${TMPDIR:-/tmp}/degen-javacpp.XXXXXX")
RESULT=$(mktemp)
"$JAVA" --add-modules jdk.incubator.vector -Xmx16g -Djava.awt.headless=true \
    -Dorg.bytedeco.javacpp.cachedir="$CACHE" -Dorg.bytedeco.javacpp.logger.debug=false \
    -cp "$G/lib/*" io.degen.backend.cuda.GpuCheck "$@" > "$RESULT"
RC=$?
cat "$RESULT"
if [ -n "${OUT:-}" ] && [ -d "${OUT:-}" ]; then cp "$RESULT" "$OUT/gpu-check.json"; fi
rm -rf "$CACHE" "$RESULT"
exit $RC
