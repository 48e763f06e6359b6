#!/usr/bin/env bash
# A real SLURM test: a one-node cluster on 127.0.0.1 (Debian slurm-wlm + munge, daemons started by
# hand), `degen slurm SPEC --shards 3 --submit` (job array + dependent finish job), the same with
# `--metric-blocks 2` (array, merge, metric-block array, finish), then the same spec run locally; the
# stores must hold the same run ids, catalog rows and metrics analyses.
# Run by .ci/run after `mvn -B verify` (needs root; skips with a SKIP line if slurm cannot be installed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
T0=$(date +%s)
log() { echo "slurm-test: $*" >&2; }
skip() { echo "SKIP slurm-test: $*"; exit 0; }

[ "$(id -u)" = 0 ] || skip "needs root to install and start slurm daemons"
command -v python3 >/dev/null || skip "python3 not available for the comparison"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  command -v apt-get >/dev/null || skip "slurm is not installed and apt-get is not available"
  log "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || skip "apt-get update failed"
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1 || skip "apt-get install slurm-wlm munge failed"
fi
for p in slurmctld slurmd munged sbatch squeue scontrol sinfo; do command -v $p >/dev/null || skip "$p missing after install"; done
for pidf in /run/munge/munged.pid /run/slurmctld.pid /run/slurmd.pid; do
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then skip "a daemon is already running ($pidf); not touching it"; fi
done

WORK="$(mktemp -d /tmp/degen-slurm-test.XXXXXX)"
STARTED=()
cleanup() {
  local rc=$?
  for pidf in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
    case " ${STARTED[*]:-} " in *" $pidf "*) ;; *) continue ;; esac
    if [ -f "$pidf" ]; then
      pid="$(cat "$pidf")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -f /run/slurmctld.pid
  if [ $rc -ne 0 ]; then
    log "FAILED (exit $rc); logs:"
    for f in "$WORK"/store-slurm/slurm/logs/* /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log; do
      [ -f "$f" ] && { echo "== $f"; tail -40 "$f"; } >&2
    done
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

# --- configuration (see docs/cluster.md and the one-node recipe) ---
install -d -o munge -g munge -m 0755 /run/munge
[ -f /etc/munge/munge.key ] || { runuser -u munge -- mungekey -c 2>/dev/null || runuser -u munge -- mungekey --create; }
install -d -o slurm -g slurm /var/lib/slurm/slurmctld /var/log/slurm
install -d /var/lib/slurm/slurmd
rm -rf /var/lib/slurm/slurmctld/* /var/lib/slurm/slurmd/*
TOPO="$(slurmd -C | head -1 | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore|RealMemory)=' | tr '\n' ' ')"
mkdir -p /etc/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=degentest
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CommunicationParameters=NoInAddrAny
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
MpiDefault=none
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost $TOPO State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

log "starting munged, slurmctld, slurmd"
runuser -u munge -- munged; STARTED+=(/run/munge/munged.pid)
slurmctld; STARTED+=(/run/slurmctld.pid)
slurmd -N localhost; STARTED+=(/run/slurmd.pid)
for i in $(seq 60); do
  state="$(sinfo -h -N -o %T 2>/dev/null | head -1 || true)"
  [ "$state" = idle ] && break
  case "$state" in down*|drain*) scontrol update nodename=localhost state=resume 2>/dev/null || true ;; esac
  sleep 0.5
done
[ "$state" = idle ] || { log "node never became idle (state '$state')"; exit 1; }
log "node idle after $(( $(date +%s) - T0 )) s"

# --- the experiment ---
SPEC="$WORK/tiny.edn"
cat > "$SPEC" <<'EDN'
{:name "slurm-tiny"
 :task {:type :flipflop :channels [1 2] :time 20}
 :model {:hidden 8}
 :train {:batch 8 :steps-per-epoch 4 :max-epochs 3 :threshold 10.0 :patience 1}
 :seeds 3
 :measure {:dsa {:n-delays 2 :rank 4} :probe-trials 6 :ood-trials 8 :ntk-trials 2}}
EDN
cd "$ROOT"
./degen plan "$SPEC" >/dev/null   # builds the launcher's jar first if needed, so array tasks never race to build
D1="$WORK/store-slurm" D2="$WORK/store-local"
SUB="$(./degen slurm "$SPEC" --shards 3 --out "$D1" --workers 1 --backend java --submit | tail -1)"
log "submitted: $SUB"
ARRAY="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["array_job"])' "$SUB")"
FINISH="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["finish_job"])' "$SUB")"
# The same spec with the pairwise matrices split into 2 blocks per (condition, level): array -> merge -> blocks -> finish.
D3="$WORK/store-blocks"
SUB3="$(./degen slurm "$SPEC" --shards 3 --out "$D3" --workers 1 --backend java --metric-blocks 2 --submit | tail -1)"
log "submitted with --metric-blocks 2: $SUB3"
JOBS3="$(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(" ".join(j[k] for k in ("array_job","merge_job","blocks_job","finish_job")))' "$SUB3")"
FINISH3="${JOBS3##* }"

./degen run "$SPEC" --out "$D2" --workers 1 --backend java >/dev/null

deadline=$(( $(date +%s) + 480 ))
while squeue -h -j "$ARRAY,$FINISH,${JOBS3// /,}" 2>/dev/null | grep -q .; do
  [ "$(date +%s)" -lt "$deadline" ] || { log "jobs still queued/running after 480 s"; squeue >&2; exit 1; }
  sleep 1
done
for j in "$ARRAY" "$FINISH" $JOBS3; do
  st="$(scontrol show job "$j" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' ')"
  log "job $j: $st"
  case "$st" in "JobState=COMPLETED ") ;; *) log "job $j did not complete"; exit 1 ;; esac
done
[ -f "$D1/report/index.html" ] || { log "finish job wrote no report"; exit 1; }
[ "$(ls -d "$D1"/shards/*-of-3 | wc -l)" = 3 ] || { log "expected 3 shard stores under $D1/shards"; exit 1; }
grep -q '"moved":6' "$D1"/slurm/logs/finish-"$FINISH".out || { log "the finish job's merge did not move the 6 networks"; exit 1; }
grep -q '"conditions":2' "$D1"/slurm/logs/finish-"$FINISH".out || { log "the finish job's measure did not analyse both conditions"; exit 1; }

[ "$(ls "$D3"/blocks/*/*-of-2.json | wc -l)" = 8 ] || { log "expected 2 conditions x 2 levels x 2 block files under $D3/blocks"; exit 1; }
[ "$(grep -c 'matrix assembled from 2 block file(s)' "$D3"/slurm/logs/finish-"$FINISH3".out)" = 4 ] \
  || { log "the blocks finish job did not assemble all 4 matrices from blocks"; exit 1; }

python3 - "$D1" "$D2" "$D3" <<'PY'
import json, os, sqlite3, sys
a, b, c = sys.argv[1], sys.argv[2], sys.argv[3]
def ids(d): return sorted(x for x in os.listdir(os.path.join(d, "runs")) if not x.startswith("."))
def rows(d):
    c = sqlite3.connect(os.path.join(d, "catalog.sqlite"))
    r = c.execute("SELECT run_id, status, epochs, final_loss FROM runs ORDER BY run_id").fetchall()
    c.close(); return r
def metrics(d):
    out = {}
    for f in sorted(os.listdir(os.path.join(d, "metrics"))):
        if f.endswith(".json"):
            m = json.load(open(os.path.join(d, "metrics", f)))
            out[f] = (m["runs"], m["analysis"], m["metrics"])
    return out
assert ids(a) == ids(b) and len(ids(a)) == 6, (ids(a), ids(b))
assert rows(a) == rows(b) and len(rows(a)) == 6, (rows(a), rows(b))
ma, mb = metrics(a), metrics(b)
assert len(ma) == 2 and ma.keys() == mb.keys(), (ma.keys(), mb.keys())
for k in ma: assert ma[k] == mb[k], "metrics differ in " + k
mc = metrics(c)
assert ids(c) == ids(b) and mc.keys() == mb.keys(), (ids(c), mc.keys())
for k in mc: assert mc[k] == mb[k], "metrics from blocks differ in " + k
print("slurm-test: same 6 run ids, catalog rows and 2 metrics analyses (SLURM shards+merge vs local; and from metric blocks)", file=sys.stderr)
PY
echo "PASS slurm-test: 3-shard job array + finish job (and with --metric-blocks 2) equal a local run ($(( $(date +%s) - T0 )) s)"
