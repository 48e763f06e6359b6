#!/usr/bin/env bash
# Re-measures committed stores with the JVM held to another vector width and compares every stored
# metric value with the committed one (docs/results.md, "The same numbers on every CPU family").
#
#   tests/repro/width-check.sh [JVM_FLAG] [STORE...]
#     JVM_FLAG  default -XX:UseAVX=2 (the AVX2 code paths on an AVX-512 machine); -XX:MaxVectorSize=16
#               gives 128-bit vectors on any x86 machine; "" re-measures at the native width
#     STORE     default every store under docs/results/*/ (quick and standard: about 25 min on 2 cores)
#
# Prints one line per store (values compared, differing in any bit, differing by more than 1e-8, the
# largest difference and where) and a total; exits 1 if any value differs by more than 1e-8.
# Writes only under a temporary folder; the committed stores are read, never changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FLAG="${1--XX:UseAVX=2}"
shift || true
if [ $# -gt 0 ]; then STORES=("$@"); else STORES=("$ROOT"/docs/results/*/*/); fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ROOT/degen" help > /dev/null  # builds on first use
TOTAL="$WORK/total.tsv"
for s in "${STORES[@]}"; do
  s="${s%/}"
  [ -f "$s/plan.json" ] || continue
  copy="$WORK/$(basename "$(dirname "$s")")-$(basename "$s")"
  cp -r "$s" "$copy"
  rm -rf "$copy/metrics" "$copy/report" "$copy/joint-dsa.json"
  DEGEN_JAVA_OPTS="$FLAG" "$ROOT/degen" measure "$copy" --workers 1 > "$copy.log" 2>&1 \
    || { echo "degen measure failed on $s (log: $copy.log)" >&2; tail -5 "$copy.log" >&2; exit 2; }
  python3 - "$s" "$copy" "$TOTAL" <<'PY'
import json, os, sys, glob
committed, fresh, total = sys.argv[1:4]
def flat(x, p=''):
    if isinstance(x, dict):
        for k, v in x.items(): yield from flat(v, p + '/' + k)
    elif isinstance(x, list):
        for i, v in enumerate(x): yield from flat(v, p + '/%d' % i)
    else: yield p, x
files = [os.path.relpath(f, committed) for f in glob.glob(committed + '/metrics/*.json')]
if os.path.exists(committed + '/joint-dsa.json'): files.append('joint-dsa.json')
n = nd = n8 = 0; worst = 0.0; where = '-'
for f in files:
    a = dict(flat(json.load(open(os.path.join(committed, f)))))
    bp = os.path.join(fresh, f)
    if not os.path.exists(bp): sys.exit('re-measure did not write ' + f)
    b = dict(flat(json.load(open(bp))))
    for k, v in a.items():
        if isinstance(v, float) and isinstance(b.get(k), float):
            n += 1
            if v != b[k]:
                nd += 1; d = abs(v - b[k])
                if d > 1e-8: n8 += 1
                if d > worst: worst, where = d, f + k
print('%s: %d values, %d differ, %d by more than 1e-8, largest %.3g (%s)' % (committed, n, nd, n8, worst, where))
with open(total, 'a') as t: t.write('%d\t%d\t%d\t%r\n' % (n, nd, n8, worst))
PY
done
python3 - "$TOTAL" "$FLAG" <<'PY'
import sys
rows = [l.split('\t') for l in open(sys.argv[1])]
n, nd, n8 = (sum(int(r[i]) for r in rows) for i in range(3))
worst = max(float(r[3]) for r in rows)
print('total (%s): %d stores, %d values, %d differ, %d by more than 1e-8, largest %.3g' % (sys.argv[2] or 'native width', len(rows), n, nd, n8, worst))
sys.exit(1 if n8 else 0)
PY
