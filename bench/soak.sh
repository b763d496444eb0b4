#!/usr/bin/env bash
# Bounded read-your-writes soak: two packaged Roster instances (prod profile) on one Redis and one MongoDB
# wire-protocol server, several clients doing 90% reads / 10% writes, every write followed by a read of the
# member and of the changed team listings on EACH instance (the other instance first). Then, with the same
# clients still running, two Redis events: keys deleted at random (tag generations and the epoch included), and
# Redis restarted from an older snapshot. Reports stale reads (target 0), errors (target 0) and throughput, per
# phase and per event, in bench/results/soak-latest.md. See bench/FAULTS.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/soak.sh${*:+ $*}"

MINUTES=10
CLIENTS=6
TEAMS=4
PER_CLIENT=12
WRITE_PCT=10
KEYS_LOST=60       # seconds of event 1 (random key deletion); 0 skips it
SNAP_AFTER=20      # seconds measured after the restart from an older snapshot (event 2); 0 skips it
PORT_BASE=18600
WORK=${TMPDIR:-/tmp}/roster-soak
RESULTS_DIR=$BENCH_DIR/results
ROSTER_JAR=
NO_INSTALL=0

usage() {
  cat <<'EOF'
Usage: bench/soak.sh [options]

  --minutes N           length of the soak before the events (default 10)
  --quick               a 1-minute soak, 20 s of event 1, 10 s after each restart of event 2
  --keys-lost S         seconds of event 1, Redis keys deleted at random (default 60; 0 skips it)
  --snapshot-after S    seconds measured after each restart of Redis from an older snapshot (event 2, run twice:
                        under load, and with the clients paused over the restart; default 20; 0 skips)
  --clients N           client threads (default 6); each owns --members-per-client N members (default 12)
  --teams N             teams the members are spread over and moved between (default 4)
  --write-pct N         share of operations that are writes (default 10)
  --port-base P         first port on 127.0.0.1 (default 18600; uses P, P+1, P+10, P+11, P+20, P+21)
  --work DIR            build and scratch directory (default ${TMPDIR:-/tmp}/roster-soak)
  --results DIR         where soak-latest.md goes (default bench/results)
  --roster-jar PATH     use this prebuilt target/quarkus-app/quarkus-run.jar instead of building Roster
  --no-install          do not apt-get install missing tools
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES=$2; shift 2 ;;
    --quick) MINUTES=1; KEYS_LOST=20; SNAP_AFTER=10; shift ;;
    --keys-lost) KEYS_LOST=$2; shift 2 ;;
    --snapshot-after) SNAP_AFTER=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --teams) TEAMS=$2; shift 2 ;;
    --members-per-client) PER_CLIENT=$2; shift 2 ;;
    --write-pct) WRITE_PCT=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --roster-jar) ROSTER_JAR=$2; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $MINUTES =~ ^[0-9]+([.][0-9]+)?$ ]] && awk -v m="$MINUTES" 'BEGIN { exit !(m > 0 && m <= 240) }' \
  || { echo "soak.sh: --minutes must be in (0, 240]" >&2; exit 2; }
SECONDS_TOTAL=$(awk -v m="$MINUTES" 'BEGIN { printf "%d", m * 60 }')
[[ $KEYS_LOST =~ ^[0-9]+$ && $SNAP_AFTER =~ ^[0-9]+$ ]] && ((KEYS_LOST <= 3600 && SNAP_AFTER <= 3600)) \
  || { echo "soak.sh: --keys-lost and --snapshot-after take whole seconds up to 3600" >&2; exit 2; }

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"

MONGO_PORT=$PORT_BASE
REDIS_PORT=$((PORT_BASE + 1))
A_HTTP=$((PORT_BASE + 10)) A_MGMT=$((PORT_BASE + 11))
B_HTTP=$((PORT_BASE + 20)) B_MGMT=$((PORT_BASE + 21))
ensure_tools
check_ports_free "$MONGO_PORT" "$REDIS_PORT" "$A_HTTP" "$A_MGMT" "$B_HTTP" "$B_MGMT"

prepare_roster

log "starting Redis :$REDIS_PORT, mongo-java-server :$MONGO_PORT, Roster A :$A_HTTP and B :$B_HTTP"
start_redis "$REDIS_PORT"
start_mongo "$MONGO_PORT"
COMMON=(-Dquarkus.mongodb.connection-string=mongodb://127.0.0.1:$MONGO_PORT
        -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT -Droster.cache.key-prefix=soak)
start_roster roster-a "$ROSTER_JAR" "$A_HTTP" "$A_MGMT" "${COMMON[@]}"
start_roster roster-b "$ROSTER_JAR" "$B_HTTP" "$B_MGMT" "${COMMON[@]}"
wait_ready roster-a "$A_MGMT"
wait_ready roster-b "$B_MGMT"

log "soak: $MINUTES min, $CLIENTS clients x $PER_CLIENT members over $TEAMS teams, $WRITE_PCT% writes, both instances"
SUMMARY=$WORK/summary.tsv PHASES=$WORK/phases.tsv PHASE_FILE=$WORK/phase
rm -f "$SUMMARY" "$PHASES" "$WORK/ready" "$WORK/stop" "$WORK/pause" "$WORK/pause.ack"
set_phase() { printf '%s\n' "$1" >"$PHASE_FILE.tmp" && mv "$PHASE_FILE.tmp" "$PHASE_FILE"; log "phase: $1"; sleep 0.05; }
set_phase soak
KEYS_PHASE="1. keys lost"
EPOCH_KEY="soak:{epoch}"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
MAX_SECONDS=$((SECONDS_TOTAL + KEYS_LOST + 2 * SNAP_AFTER + 90))
ROSTER_TOKEN=$TOKEN timeout $((MAX_SECONDS + 180)) "$JAVA" "$BENCH_DIR/resilience/Soak.java" \
  --urls "http://127.0.0.1:$A_HTTP,http://127.0.0.1:$B_HTTP" --clients "$CLIENTS" --seconds "$MAX_SECONDS" \
  --teams "$TEAMS" --members-per-client "$PER_CLIENT" --write-pct "$WRITE_PCT" --out "$SUMMARY" \
  --phase-file "$PHASE_FILE" --ready-file "$WORK/ready" --stop-file "$WORK/stop" --phases-out "$PHASES" \
  --pause-file "$WORK/pause" \
  --redis-port "$REDIS_PORT" --key-prefix soak --delete-keys-phase "$KEYS_PHASE" \
  >"$LOGS/soak.out" 2>"$LOGS/soak.err" &
SOAK_PID=$!
PIDS+=("$SOAK_PID")
for _ in $(seq 1200); do
  [[ -e $WORK/ready ]] && break
  kill -0 "$SOAK_PID" 2>/dev/null || break
  sleep 0.1
done
[[ -e $WORK/ready ]] || { cat "$LOGS/soak.err" >&2; die "the soak client did not get ready"; }
sleep "$SECONDS_TOTAL"

# ---- event 1: random keys deleted while the same clients keep reading and writing on A and B
if ((KEYS_LOST > 0)); then
  set_phase "$KEYS_PHASE"
  sleep "$KEYS_LOST"
fi

# ---- event 2: Redis restarted from a snapshot older than answered writes, twice: (2a) under load, so that the
# instances see Redis fail and replace the epoch for that reason too; (2b) with the clients paused over the
# restart, so that no instance sees Redis fail and only the check of the server's run id on reconnect is left.
# snapshot_event ID PAUSE: sets SNAP_NOTE_<ID>.
log_mark() { wc -l <"$LOGS/$1.log"; }
lines_since() { tail -n +"$(($2 + 1))" "$LOGS/$1.log" | grep -c "$3" || true; }
snapshot_event() {
  local id=$1 pause=$2 label save snap_keys snap_epoch pid loaded_keys epoch_after replaced ma mb idle
  label="$id. snapshot"
  set_phase "$label: before SAVE"
  sleep 3
  save=$(redis-cli -p "$REDIS_PORT" SAVE 2>&1 || true)
  snap_keys=$(redis-cli -p "$REDIS_PORT" DBSIZE 2>/dev/null || echo '?')
  snap_epoch=$(redis-cli -p "$REDIS_PORT" GET "$EPOCH_KEY" 2>/dev/null || echo '?')
  set_phase "$label: writes after SAVE"
  sleep 5
  idle=
  if ((pause)); then
    touch "$WORK/pause"
    for _ in $(seq 500); do [[ -e $WORK/pause.ack ]] && break; sleep 0.01; done
    idle=$([[ -e $WORK/pause.ack ]] && echo "clients idle" || echo "clients NOT idle after 5 s")
  fi
  set_phase "$label: Redis killed, restarting from the dump"
  ma=$(log_mark roster-a) mb=$(log_mark roster-b)
  pid=$(redis_pid "$REDIS_PORT")
  kill -9 "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.02; done
  start_redis "$REDIS_PORT" --from-dump
  loaded_keys=$(redis-cli -p "$REDIS_PORT" DBSIZE 2>/dev/null || echo '?')
  ((pause)) && rm -f "$WORK/pause"
  set_phase "$label: after restart from the older dump"
  sleep 1
  epoch_after=$(redis-cli -p "$REDIS_PORT" GET "$EPOCH_KEY" 2>/dev/null || echo '?')
  sleep $((SNAP_AFTER > 1 ? SNAP_AFTER - 1 : 0))
  replaced=$([[ $epoch_after != "$snap_epoch" ]] && echo "replaced" || echo "NOT replaced")
  printf -v "SNAP_NOTE_$id" '%s' "SAVE answered ${save}: ${snap_keys} keys, epoch ${snap_epoch}; redis-server killed (SIGKILL)${idle:+ with the $idle} and restarted from that dump.rdb (same port, same dir): ${loaded_keys} keys loaded; epoch 1 s after the restart: ${epoch_after} (${replaced}); log lines from the kill to the end (A / B): run id check \"Cache epoch replaced\" $(lines_since roster-a "$ma" 'Cache epoch replaced: this Redis server') / $(lines_since roster-b "$mb" 'Cache epoch replaced: this Redis server'), outage \"Replaced the cache epoch\" $(lines_since roster-a "$ma" 'Replaced the cache epoch') / $(lines_since roster-b "$mb" 'Replaced the cache epoch'), \"Redis is unavailable\" $(lines_since roster-a "$ma" 'Redis is unavailable') / $(lines_since roster-b "$mb" 'Redis is unavailable')"
}
SNAP_NOTE_2a='' SNAP_NOTE_2b=''
if ((SNAP_AFTER > 0)); then
  snapshot_event 2a 0
  snapshot_event 2b 1
fi
touch "$WORK/stop"
set +e
wait "$SOAK_PID"
rc=$?
set -e
((rc == 0)) || { cat "$LOGS/soak.err" >&2; die "the soak client failed (exit $rc)"; }
cat "$LOGS/soak.out" >&2

declare -A S=()
while IFS=$'\t' read -r k v; do S[$k]=$v; done <"$SUMMARY"
warns() { grep -c ' WARN ' "$LOGS/$1.log" || true; }
count_lines() { grep -c "$2" "$LOGS/$1.log" || true; }
# phase_col PHASE COLUMN: a column of phases.tsv (header names) for one phase
phase_col() { awk -F'\t' -v p="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $1 == p { print $col[c] }' "$PHASES"; }
# sum_col PREFIX COLUMN: the sum of a column over the phases whose name starts with PREFIX
sum_col() { awk -F'\t' -v p="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } index($1, p) == 1 { s += $col[c] } END { print s + 0 }' "$PHASES"; }
errs() { grep -c ' ERROR ' "$LOGS/$1.log" || true; }
metric() { curl -s --max-time 5 "http://127.0.0.1:$1/q/metrics" | awk -v n="$2" 'index($0, n) == 1 { s += $NF } END { printf "%.0f", s }'; }
verdict() { [[ $1 == 0 ]] && echo "PASS" || echo "FAIL"; }

OUT=$RESULTS_DIR/soak-latest.md
{
  echo "# Read-your-writes soak (bench/soak.sh)"
  echo
  echo "- **date**: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- **command**: $COMMAND_LINE"
  echo "- **Roster**: two instances of ${ROSTER_JAR#"$REPO_DIR"/} (prod profile, JWT for writes, key prefix \`soak\`), checkout $(checkout_line)"
  echo "- **servers**: one $(redis-server --version | awk '{print $1, $3}'), one mongo-java-server 1.47.0 (memory backend); JVM $("$JAVA" -version 2>&1 | head -1)"
  echo "- **clients**: \`java bench/resilience/Soak.java\`: $CLIENTS threads (JDK HttpClient, keep-alive, closed loop), each owning $PER_CLIENT members spread over $TEAMS shared teams; $WRITE_PCT% writes (PUT role 60%, PUT team move 15%, DELETE 25%, POST when absent) on a random instance, each followed by GET of the member and of every changed team listing on both instances, the other instance first; other operations: GET member / team listing / \`/teams\` on a random instance"
  echo "- **machine**: $(machine_line) (load average at the start: $LOAD_BEFORE)"
  echo
  echo "Phase \`soak\` (before the fault events):"
  echo
  echo "| measure | value | target |"
  echo "|---|--:|---|"
  echo "| duration | ${S[seconds]} s | |"
  echo "| requests | ${S[requests]} (${S[req_per_s]} req/s) | |"
  echo "| reads | ${S[reads]} | |"
  echo "| writes | ${S[writes]} (${S[write_share]}): ${S[puts_role]} PUT role, ${S[puts_move]} PUT move, ${S[deletes]} DELETE, ${S[creates]} POST | |"
  echo "| reads right after a write (both instances, the other instance first) | ${S[reads_after_writes]} (${S[other_instance_reads_after_writes]} on the other instance) | |"
  echo "| **stale reads** | **${S[stale]}** | 0: $(verdict "${S[stale]}") |"
  echo "| listings whose count differs from their members | ${S[inconsistent_listings]} | 0: $(verdict "${S[inconsistent_listings]}") |"
  echo "| **errors** | **${S[errors]}** | 0: $(verdict "${S[errors]}") |"
  echo "| cache hits among reads | ${S[hit_share]} | |"
  echo "| read p50 / p99 | ${S[read_p50_ms]} / ${S[read_p99_ms]} ms | |"
  echo "| write p50 / p99 | ${S[write_p50_ms]} / ${S[write_p99_ms]} ms | |"
  echo "| WARN / ERROR lines in the logs (A, B; whole run, events included) | $(warns roster-a) / $(errs roster-a), $(warns roster-b) / $(errs roster-b) | |"
  echo "| roster_cache_errors_total (A, B; whole run) | $(metric "$A_MGMT" roster_cache_errors_total), $(metric "$B_MGMT" roster_cache_errors_total) | |"
  echo "| roster_cache_epoch_bumps_total (A, B; whole run) | $(metric "$A_MGMT" roster_cache_epoch_bumps_total), $(metric "$B_MGMT" roster_cache_epoch_bumps_total) | |"
  echo
  echo
  echo "## Fault events (the same clients keep running)"
  echo
  echo "| event | s | requests | writes | reads right after a write (on the other instance) | **stale reads** | **failures** | hits | details |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|---|"
  if ((KEYS_LOST > 0)); then
    echo "| 1. Redis keys deleted at random while A and B take reads and writes | $(phase_col "$KEYS_PHASE" seconds) | $(phase_col "$KEYS_PHASE" requests) | $(phase_col "$KEYS_PHASE" writes) | $(phase_col "$KEYS_PHASE" reads_after_writes) ($(phase_col "$KEYS_PHASE" other_instance_reads_after_writes)) | **$(phase_col "$KEYS_PHASE" stale)** | **$(phase_col "$KEYS_PHASE" errors)** | $(phase_col "$KEYS_PHASE" hit_share) | SCAN + DEL every 3 ms: $(phase_col "$KEYS_PHASE" del_rounds) rounds, $(phase_col "$KEYS_PHASE" del_keys) keys deleted: $(phase_col "$KEYS_PHASE" del_generations) tag generations (\`soak:g:*\`), $(phase_col "$KEYS_PHASE" del_epoch) times the epoch (\`soak:{epoch}\`), $(phase_col "$KEYS_PHASE" del_entries) entries, $(phase_col "$KEYS_PHASE" del_other) others (chunks, leases, lineage) |"
  fi
  if ((SNAP_AFTER > 0)); then
    for id in 2a 2b; do
      AFTER="$id. snapshot: after restart from the older dump"
      note_var="SNAP_NOTE_$id"
      what=$([[ $id == 2a ]] && echo "restarted under load" || echo "restarted while the clients pause")
      echo "| $id. Redis restarted from an older snapshot ($what): counted after the restart | $(phase_col "$AFTER" seconds) | $(phase_col "$AFTER" requests) | $(phase_col "$AFTER" writes) | $(phase_col "$AFTER" reads_after_writes) ($(phase_col "$AFTER" other_instance_reads_after_writes)) | **$(phase_col "$AFTER" stale)** | **$(phase_col "$AFTER" errors)** | $(phase_col "$AFTER" hit_share) | $(phase_col "$id. snapshot: writes after SAVE" writes) writes answered between SAVE and the kill; ${!note_var}; whole event (all $id phases): $(sum_col "$id. " requests) requests, $(sum_col "$id. " stale) stale, $(sum_col "$id. " errors) failures |"
    done
  fi
  echo
  echo "Every phase (requests are counted in the phase they started in):"
  echo
  echo "| phase | s | requests | writes | reads after a write (other instance) | stale | errors | count ≠ members | hits | read p50 / p99 / max ms |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s / %s / %s |\n", $1, $2, $3, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 }' "$PHASES"
  echo
  echo "A read is **stale** when it does not show the reading client's own last answered write: a member view with"
  echo "another role, team or version, a 404 for a member that exists or a 200 for one deleted, a listing that misses"
  echo "or still lists an own member or shows an older role or version, or \`/teams\` without a team that has an own"
  echo "member. Each client is the only writer of its members, so no race can excuse a difference."
  if [[ -s "$LOGS/soak.err" ]]; then
    echo
    echo "First problems reported by the client (at most 20 per phase, prefixed with the phase):"
    echo
    echo '```'
    head -60 "$LOGS/soak.err"
    echo '```'
  fi
} >"$OUT"
cat "$OUT"
log "results: $OUT (logs in $LOGS)"
