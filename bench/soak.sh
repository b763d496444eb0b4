#!/usr/bin/env bash
# Bounded read-your-writes soak: two packaged Roster instances (prod profile) on one Redis and one MongoDB
# wire-protocol server, several clients doing 90% reads / 10% writes, every write followed by a read of the
# member and of the changed team listings on EACH instance. Reports stale reads (target 0), errors (target 0) and
# throughput in bench/results/soak-latest.md. See bench/FAULTS.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/soak.sh${*:+ $*}"

MINUTES=10
CLIENTS=6
TEAMS=4
PER_CLIENT=12
WRITE_PCT=10
PORT_BASE=18600
WORK=${TMPDIR:-/tmp}/roster-soak
RESULTS_DIR=$BENCH_DIR/results
ROSTER_JAR=
NO_INSTALL=0

usage() {
  cat <<'EOF'
Usage: bench/soak.sh [options]

  --minutes N           length of the soak (default 10)
  --quick               a 1-minute soak
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
    --quick) MINUTES=1; shift ;;
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
SUMMARY=$WORK/summary.tsv
rm -f "$SUMMARY"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
set +e
ROSTER_TOKEN=$TOKEN timeout $((SECONDS_TOTAL + 180)) "$JAVA" "$BENCH_DIR/resilience/Soak.java" \
  --urls "http://127.0.0.1:$A_HTTP,http://127.0.0.1:$B_HTTP" --clients "$CLIENTS" --seconds "$SECONDS_TOTAL" \
  --teams "$TEAMS" --members-per-client "$PER_CLIENT" --write-pct "$WRITE_PCT" --out "$SUMMARY" \
  >"$LOGS/soak.out" 2>"$LOGS/soak.err"
rc=$?
set -e
((rc == 0)) || { cat "$LOGS/soak.err" >&2; die "the soak client failed (exit $rc)"; }
cat "$LOGS/soak.out" >&2

declare -A S=()
while IFS=$'\t' read -r k v; do S[$k]=$v; done <"$SUMMARY"
warns() { grep -c ' WARN ' "$LOGS/$1.log" || true; }
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
  echo "- **clients**: \`java bench/resilience/Soak.java\`: $CLIENTS threads (JDK HttpClient, keep-alive, closed loop), each owning $PER_CLIENT members spread over $TEAMS shared teams; $WRITE_PCT% writes (PUT role 60%, PUT team move 15%, DELETE 25%, POST when absent) on a random instance, each followed by GET of the member and of every changed team listing on both instances; other operations: GET member / team listing / \`/teams\` on a random instance"
  echo "- **machine**: $(machine_line) (load average at the start: $LOAD_BEFORE)"
  echo
  echo "| measure | value | target |"
  echo "|---|--:|---|"
  echo "| duration | ${S[seconds]} s | |"
  echo "| requests | ${S[requests]} (${S[req_per_s]} req/s) | |"
  echo "| reads | ${S[reads]} | |"
  echo "| writes | ${S[writes]} (${S[write_share]}): ${S[puts_role]} PUT role, ${S[puts_move]} PUT move, ${S[deletes]} DELETE, ${S[creates]} POST | |"
  echo "| reads right after a write (both instances) | ${S[reads_after_writes]} | |"
  echo "| **stale reads** | **${S[stale]}** | 0: $(verdict "${S[stale]}") |"
  echo "| listings whose count differs from their members | ${S[inconsistent_listings]} | 0: $(verdict "${S[inconsistent_listings]}") |"
  echo "| **errors** | **${S[errors]}** | 0: $(verdict "${S[errors]}") |"
  echo "| cache hits among reads | ${S[hit_share]} | |"
  echo "| read p50 / p99 | ${S[read_p50_ms]} / ${S[read_p99_ms]} ms | |"
  echo "| write p50 / p99 | ${S[write_p50_ms]} / ${S[write_p99_ms]} ms | |"
  echo "| WARN / ERROR lines in the logs (A, B) | $(warns roster-a) / $(errs roster-a), $(warns roster-b) / $(errs roster-b) | |"
  echo "| roster_cache_errors_total (A, B) | $(metric "$A_MGMT" roster_cache_errors_total), $(metric "$B_MGMT" roster_cache_errors_total) | |"
  echo "| roster_cache_epoch_bumps_total (A, B) | $(metric "$A_MGMT" roster_cache_epoch_bumps_total), $(metric "$B_MGMT" roster_cache_epoch_bumps_total) | |"
  echo
  echo "A read is **stale** when it does not show the reading client's own last answered write: a member view with"
  echo "another role, team or version, a 404 for a member that exists or a 200 for one deleted, a listing that misses"
  echo "or still lists an own member or shows an older role or version, or \`/teams\` without a team that has an own"
  echo "member. Each client is the only writer of its members, so no race can excuse a difference."
  if [[ -s "$LOGS/soak.err" ]]; then
    echo
    echo "First problems reported by the client:"
    echo
    echo '```'
    head -20 "$LOGS/soak.err"
    echo '```'
  fi
} >"$OUT"
cat "$OUT"
log "results: $OUT (logs in $LOGS)"
