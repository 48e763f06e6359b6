#!/usr/bin/env bash
# The paper-scale table of docs/results.md ("Rerunning at full scale"): for every figure, `degen plan` of the
# paper-scale spec (no profile) timed at the median epochs its committed standard store's networks took
# (--epochs-from), on this machine with 2 workers and as a SLURM array of 50 tasks of 2 cores each.
# Run from the repository root on a quiet machine (each plan times one training step): prints a markdown table.
# GPU columns: network-steps at 1,000-2,000 per second (the static estimate for today's per-network CUDA
# engine, issue 18; never measured) and at 20,000 per second (the target of the lockstep engine, not built).
set -euo pipefail
cd "$(dirname "$0")/../.."
figs="fig3-flipflop fig3-sine fig3-dd fig3-pi fig4-delay fig4-aux fig6-gamma fig6-gamma-sine fig7-width fig7-width-sine \
fig8-nuclear fig8-l1 fig8-nuclear-flipflop fig8-l1-flipflop"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for fig in $figs; do
  printf '%s ' "$fig" >> "$tmp"
  ./degen plan "examples/paper/$fig.edn" --epochs-from "docs/results/standard/$fig" --workers 2 --shards 50 2>/dev/null | tail -1 >> "$tmp"
done
python3 - "$tmp" <<'PY'
import json, sys
def h(s): return f"{s / 3600:.1f} h" if s >= 3600 else f"{s / 60:.0f} min"
print("| figure | runs | network-steps | 2 cores, 2 workers | SLURM, 50 tasks x 2 cores (longest task) "
      "| one GPU, today's engine (unmeasured) | one GPU at the lockstep target | standard store vs paper scale |")
print("|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    fig, js = line.split(" ", 1)
    p = json.loads(js); t = p["timing"]; steps = t["network_steps"]
    frm = t["epochs_from"]
    diff = frm.split("store vs plan: ")[1].rstrip(")") if "store vs plan: " in frm else "none"
    print(f"| {fig} | {p['runs']} | {steps:.3g} | {h(t['seconds'])} | {h(t['longest_shard_seconds'])} "
          f"| {h(steps / 2000)}-{h(steps / 1000)} | {h(steps / 20000)} | {diff} |")
PY
