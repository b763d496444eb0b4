#!/usr/bin/env bash
# The near cache's cross-instance window (bench/tools/NearWindow.java): two Roster instances with the near cache
# on, sharing one Redis and one MongoDB wire-protocol server; a member's view is held in B's near cache, changed
# through A, and read from B right after A's answer. Reports how many of those reads B served from before the
# answered write, and how long after the answer B served the new state.
#   bash bench/near-window.sh [--roster-jar PATH] [--rounds N] [--load]
# --load runs wrk on B's near hits meanwhile (a busy instance handles invalidations later).
# Writes bench/results/near-window-latest.md. Loopback only; everything stops at exit.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
WORK=${TMPDIR:-/tmp}/roster-near-window
RESULTS_DIR=$BENCH_DIR/results
ROSTER_JAR=
ROUNDS=2000
LOAD=0
PORT_BASE=18900
COMMAND_LINE="bench/near-window.sh${*:+ $*}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --roster-jar) ROSTER_JAR=$(readlink -f "$2"); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --load) LOAD=1; shift ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    *) echo "near-window.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
touch "$LOGS/mongo.log"
ensure_tools
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
REDIS_PORT=$PORT_BASE MONGO_PORT=$((PORT_BASE + 1))
check_ports_free "$REDIS_PORT" "$MONGO_PORT" $((PORT_BASE + 10)) $((PORT_BASE + 11)) $((PORT_BASE + 20)) $((PORT_BASE + 21))
prepare_roster
start_redis "$REDIS_PORT"
MONGO_WIRE_ARGS=--oplog start_mongo "$MONGO_PORT"
for i in 0 1; do
  start_roster "r$i" "$ROSTER_JAR" $((PORT_BASE + 10 + i)) $((PORT_BASE + 20 + i)) \
    -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT" \
    -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -Droster.cache.near.enabled=true
done
for i in 0 1; do wait_ready "r$i" $((PORT_BASE + 20 + i)); done
A=http://127.0.0.1:$((PORT_BASE + 10)); B=http://127.0.0.1:$((PORT_BASE + 11))
if ((LOAD)); then
  curl -fsS -o /dev/null -XPOST "$A/members" -H @"$WORK/auth.header" -H 'Content-Type: application/json' \
    -d '{"name":"nw_load","team":"NEARLOAD"}'
  wrk -t1 -c16 -d3600s "$B/members/nw_load" >/dev/null 2>&1 &
  PIDS+=("$!")
fi
log "measuring $ROUNDS rounds (load on B: $LOAD)"
out=$("$JAVA" "$BENCH_DIR/tools/NearWindow.java" "$A" "$B" "$WORK/auth.header" "$ROUNDS")
echo "$out"
mkdir -p "$RESULTS_DIR"
{
  echo "# Near cache: the cross-instance window"
  echo
  echo "- command: \`$COMMAND_LINE\`"
  echo "- Roster: $(checkout_line); two instances with roster.cache.near.enabled=true, one Redis $(redis-server --version | awk '{print $3}'), mongo-java-server"
  echo "- machine: $(machine_line)"
  echo "- each round: B's near cache holds a member's view (read until Cache-Status says near), the member is changed by a PUT through A, and B is read right after A's answer; a stale read is one that shows the state from before that answered write; its window is the time from A's answer until B served the new state"
  echo "- load on B meanwhile: $( ((LOAD)) && echo 'wrk -t1 -c16 on another member (near hits)' || echo none)"
  echo
  echo '```'
  echo "$out"
  echo '```'
} >"$RESULTS_DIR/near-window-latest.md"
cat "$RESULTS_DIR/near-window-latest.md"
