#!/usr/bin/env bash
# Builds, on a machine with a JDK 17+ and Maven, what tests/gpu/device.sh needs on a GPU machine that
# may have no JDK and no network: .gpu/bundle.tar.xz (git-ignored) holding a jlink'd Java runtime
# (jre/) and the runtime jars (lib/: degen-core compiled with -Pcuda, JavaCPP, the JNI-only CUDA 13
# bindings slimmed to cudart/cublas/nvrtc, EJML, Jackson; no MKL, no CUDA redist). device.sh unpacks
# it into /tmp on each run. Carry the folder .gpu with the working tree (run's carry: [".gpu"]).
#
# Maven arguments can be added with MVN_ARGS (e.g. MVN_ARGS=-o for an offline build).
# Ends with a smoke test: device.sh --engine java (the harness with the Java engine in place of the GPU),
# and prints the bundle's size and what the device run's working tree will weigh (limit 64 MiB).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
G="$ROOT/.gpu"
cd "$ROOT"
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/degen-gpu-prepare.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/lib"

echo "== compiling degen-core with -Pcuda" >&2
mvn -B -q ${MVN_ARGS:-} -pl java-core -Pcuda -DskipTests compile
# no compression inside the jars: the bundle's xz compresses better than zip
jar --create --no-compress --file "$STAGE/lib/degen-core-cuda.jar" -C java-core/target/classes .

echo "== collecting runtime jars" >&2
CP_FILE="$STAGE/cp.txt"
mvn -B -q ${MVN_ARGS:-} -pl java-core -Pcuda dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$CP_FILE" >/dev/null
tr ':' '\n' < "$CP_FILE" | while read -r j || [ -n "$j" ]; do
  case "$(basename "$j")" in
    javacpp-*.jar|cuda-13*.jar|ejml-*.jar|jackson-*.jar) cp "$j" "$STAGE/lib/" ;;
  esac
done
for need in javacpp-1.5.13.jar javacpp-1.5.13-linux-x86_64.jar cuda-13.1-9.19-1.5.13.jar cuda-13.1-9.19-1.5.13-linux-x86_64.jar; do
  [ -f "$STAGE/lib/$need" ] || { echo "missing $need in the -Pcuda classpath" >&2; exit 1; }
done
# The JNI jar carries bindings for every CUDA library (NPP, cuDNN, ...); keep only the three the engine
# loads (cudart, cublas, nvrtc), so the bundle stays small. JavaCPP finds them by resource path.
JNI="$STAGE/lib/cuda-13.1-9.19-1.5.13-linux-x86_64.jar"
SLIM="$STAGE/slim"
mkdir -p "$SLIM"
(cd "$SLIM" && jar xf "$JNI" META-INF org/bytedeco/cuda/linux-x86_64/libjnicudart.so \
     org/bytedeco/cuda/linux-x86_64/libjnicublas.so org/bytedeco/cuda/linux-x86_64/libjninvrtc.so)
rm "$JNI"
jar --create --no-compress --file "$JNI" -C "$SLIM" .
rm -rf "$SLIM" "$CP_FILE"
if ls "$STAGE/lib" | grep -Eq 'mkl|redist'; then echo "MKL or a CUDA redist jar slipped in" >&2; exit 1; fi

echo "== jlink runtime" >&2
# The GPU check needs java.base, the Vector API (the Java engine), jdk.unsupported (JavaCPP) and
# java.logging; reports, the store and plots (java.desktop, java.sql) are not used on the device.
jlink --add-modules java.base,jdk.incubator.vector,jdk.unsupported,java.logging \
      --strip-debug --strip-native-debug-symbols=exclude-debuginfo-files --no-header-files --no-man-pages \
      --compress=0 --output "$STAGE/jre" 2> >(grep -v 'incubator' >&2)

echo "== packing" >&2
rm -rf "$G"
mkdir -p "$G"
{
  echo "degen GPU bundle, built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "jdk: $(java -version 2>&1 | head -1)"
  (cd "$STAGE" && du -sb jre lib && ls -l lib | awk 'NR > 1 {print "  " $5 "  " $9}')
} > "$G/MANIFEST"
tar -C "$STAGE" -cJf "$G/bundle.tar.xz" jre lib
cat "$G/MANIFEST" >&2
# The PyTorch peer of the throughput target (device.sh runs it where the GPU machine has torch); it is
# reference material beside the checkout, so it travels in the ignored .gpu/ and is not committed.
PEER_SRC="$ROOT/../shared/peers/torch_ensemble_gpu.py"
if [ -f "$PEER_SRC" ]; then cp "$PEER_SRC" "$G/"; echo "peer: $PEER_SRC -> $G/" >&2; else echo "peer: no $PEER_SRC (device.sh will skip it)" >&2; fi

echo "== smoke test: device.sh --engine java (the harness, with the Java engine in place of the GPU)" >&2
SMOKE=$(mktemp -d "${TMPDIR:-/tmp}/degen-gpu-smoke.XXXXXX")
if ! OUT="$SMOKE" bash "$ROOT/tests/gpu/device.sh" --engine java --stages ops,grad64 >/dev/null 2>&1; then
  echo "smoke test failed; its output is in $SMOKE" >&2
  exit 1
fi
grep -q '"stage":"summary","ok":true' "$SMOKE/gpu-check.jsonl" || { echo "smoke test gave no passing summary: $SMOKE" >&2; exit 1; }
rm -rf "$SMOKE"

BUNDLE=$(du -sb "$G" | cut -f1)
TREE=$(git ls-files -z --cached --others --exclude-standard | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
printf 'prepared %s: %.1f MB (unpacked: %s bytes); working tree %.1f MB; a device run carrying .gpu sends about %.1f MB (limit 64 MiB = 67.1 MB)\n' \
  "$G" "$(echo "$BUNDLE / 1000000" | bc -l)" "$(sed -n 3,4p "$G/MANIFEST" | awk '{s += $1} END {print s}')" \
  "$(echo "$TREE / 1000000" | bc -l)" "$(echo "($TREE + $BUNDLE) / 1000000" | bc -l)"
if [ $((TREE + BUNDLE)) -gt $((60 * 1024 * 1024)) ]; then
  # The committed stores (docs/results, ~50 MB of weights and figures) are not needed on the device:
  # moved out of the checkout for the one device call, they are not sent.
  LEAN=$(git ls-files -z --cached --others --exclude-standard -- . ':!docs/results' | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
  if [ $((LEAN + BUNDLE)) -le $((60 * 1024 * 1024)) ]; then
    printf 'working tree + bundle exceed 60 MiB; without docs/results they are %.1f MB. For the device call only:\n' "$(echo "($LEAN + $BUNDLE) / 1000000" | bc -l)" >&2
    echo "  mv docs/results /tmp/degen-results-aside   # then the device call (carry .gpu), then:" >&2
    echo "  mv /tmp/degen-results-aside docs/results" >&2
  else
    echo "working tree + bundle exceed 60 MiB even without docs/results: the device run would be refused or too close to its limit" >&2
    exit 1
  fi
fi
