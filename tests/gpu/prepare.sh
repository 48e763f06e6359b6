#!/usr/bin/env bash
# Builds, on a machine with a JDK 17+ and Maven, everything tests/gpu/check.sh needs on a GPU machine
# that may have no JDK and no network: a jlink'd Java runtime, degen-core compiled with -Pcuda, and
# the runtime jars (JavaCPP + the JNI-only CUDA 13 bindings + EJML + Jackson; no MKL, no CUDA redist).
# Output: .gpu/ at the repository root (git-ignored). Carry that folder to the GPU machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/.gpu"
cd "$ROOT"
rm -rf "$OUT"
mkdir -p "$OUT/lib"

echo "== compiling degen-core with -Pcuda" >&2
mvn -B -q -pl java-core -Pcuda -DskipTests compile
jar --create --file "$OUT/lib/degen-core-cuda.jar" -C java-core/target/classes .

echo "== collecting runtime jars" >&2
CP_FILE=$(mktemp)
mvn -B -q -pl java-core -Pcuda dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$CP_FILE" >/dev/null
tr ':' '\n' < "$CP_FILE" | while read -r j || [ -n "$j" ]; do
  case "$(basename "$j")" in
    javacpp-*.jar|cuda-13*.jar|ejml-*.jar|jackson-*.jar) cp "$j" "$OUT/lib/" ;;
  esac
done
rm -f "$CP_FILE"
for need in javacpp-1.5.13.jar javacpp-1.5.13-linux-x86_64.jar cuda-13.1-9.19-1.5.13.jar cuda-13.1-9.19-1.5.13-linux-x86_64.jar; do
  [ -f "$OUT/lib/$need" ] || { echo "missing $need in the -Pcuda classpath" >&2; exit 1; }
done
# The JNI jar carries bindings for every CUDA library (NPP, cuDNN, ...); keep only the three the engine
# loads (cudart, cublas, nvrtc), so the bundle stays small. JavaCPP finds them by resource path.
JNI="$OUT/lib/cuda-13.1-9.19-1.5.13-linux-x86_64.jar"
SLIM=$(mktemp -d)
(cd "$SLIM" && jar xf "$JNI" META-INF org/bytedeco/cuda/linux-x86_64/libjnicudart.so \
     org/bytedeco/cuda/linux-x86_64/libjnicublas.so org/bytedeco/cuda/linux-x86_64/libjninvrtc.so)
rm "$JNI"
jar --create --file "$JNI" -C "$SLIM" .
rm -rf "$SLIM"
if ls "$OUT/lib" | grep -Eq 'mkl|redist'; then echo "MKL or a CUDA redist jar slipped in" >&2; exit 1; fi

echo "== jlink runtime" >&2
jlink --add-modules java.base,java.logging,java.sql,java.desktop,jdk.unsupported,jdk.incubator.vector,java.management,java.naming \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/jre"

# Smoke test of the bundle itself: the GPU check in dry-run mode (Java engine in place of the GPU).
echo "== bundle smoke test (--engine java dry run)" >&2
"$OUT/jre/bin/java" --add-modules jdk.incubator.vector -cp "$OUT/lib/*" io.degen.backend.cuda.GpuCheck \
    --engine java --skip-throughput --check-steps 3 2>/dev/null | head -c 300; echo

du -sh "$OUT/jre" "$OUT/lib" >&2
TOTAL=$(du -sb "$OUT" | cut -f1)
printf 'prepared %s: %.1f MB in total (limit 60 MB)\n' "$OUT" "$(echo "$TOTAL / 1048576" | bc -l)"
[ "$TOTAL" -le $((60 * 1024 * 1024)) ] || { echo "bundle exceeds 60 MB" >&2; exit 1; }
