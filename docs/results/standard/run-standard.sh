#!/usr/bin/env bash
# Trains, measures and judges every paper figure at the standard profile into docs/results/standard/FIG,
# one figure after another (issue 16). Resumable: a store trains only what it lacks, and a figure with a
# DONE file (its wall seconds) is skipped. Run from the repository root, in the background:
#   nohup docs/results/standard/run-standard.sh > /dev/null 2>&1 &
# Progress: docs/results/standard/progress.log (not committed) and FIG.log beside it.
# Commit each finished store (git add docs/results/standard/FIG), then regenerate the tables of
# docs/results.md (ResultsDocTest writes the corrected document to java-core/target/results.md.expected).
set -u
cd "$(dirname "$0")/../../.."
order="fig3-flipflop fig3-sine fig4-aux fig8-nuclear fig8-l1 fig4-delay fig3-dd fig6-gamma fig7-width fig3-pi \
fig8-nuclear-flipflop fig8-l1-flipflop fig6-gamma-sine fig7-width-sine"
log=docs/results/standard/progress.log
# A network with the same run id (same task, model, training and seed) in another finished store is the
# same network: copy it instead of training it again (git stores the identical files once).
reuse_stored_networks() {
  local fig=$1 out=$2 ids id src n=0
  ids=$(./degen plan "examples/paper/$fig.edn" --profile standard --no-timing 2>/dev/null | tail -1 \
    | python3 -c 'import json,sys; print(" ".join(r for c in json.load(sys.stdin)["conditions"] for r in c["runs"]))')
  mkdir -p "$out/runs"
  for id in $ids; do
    [ -e "$out/runs/$id" ] && continue
    for src in docs/results/standard/*/runs/"$id"; do
      [ -f "$(dirname "$(dirname "$src")")/DONE" ] || continue
      cp -r "$src" "$out/runs/$id" && n=$((n + 1)); break
    done
  done
  echo "$(date -u +%FT%TZ) $fig: $n network(s) copied from finished stores" >> "$log"
}
for fig in $order; do
  out=docs/results/standard/$fig
  [ -f "$out/DONE" ] && continue
  reuse_stored_networks "$fig" "$out"
  echo "$(date -u +%FT%TZ) start $fig" >> "$log"
  s=$(date +%s)
  nice -n 10 ./degen run "examples/paper/$fig.edn" --profile standard --workers 2 --backend java --out "$out" \
    >> "docs/results/standard/$fig.log" 2>&1
  rc=$?
  e=$(date +%s)
  echo "$(date -u +%FT%TZ) end $fig rc=$rc $((e - s))s" >> "$log"
  [ $rc -eq 0 ] && echo "$((e - s))" > "$out/DONE"
done
