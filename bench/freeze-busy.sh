#!/usr/bin/env bash
# Diagnostic for bench/FAULTS.md ("What misbehaved", 6): which GETs exceed the 250 ms redis-timeout plus its
# 125 ms grace when Redis is frozen under 16 closed-loop clients, per roster.cache.redis-busy-timeout setting.
# For each setting: Redis, a MongoDB wire-protocol server and two packaged Roster instances (A, B) on 127.0.0.1,
# SMALL loaded (100 members), 16 closed-loop clients on GET /teams/SMALL/members (8 on A, 8 on B), three freezes
# of 3 s (SIGSTOP) 4 s apart; prints, per freeze, every GET over 375 ms that started from 0.5 s before to 3 s
# after SIGSTOP, with its start relative to SIGSTOP, instance, latency and Cache-Status. ~1 min per setting.
#
#   bench/freeze-busy.sh [--busy "1s 3s"] [--roster-jar PATH] [--port-base 18800] [--work DIR]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUSY_LIST="1s 3s"
PORT_BASE=18800
WORK=${TMPDIR:-/tmp}/roster-freeze-busy
RESULTS_DIR=$WORK/results
ROSTER_JAR=
NO_INSTALL=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --busy) BUSY_LIST=$2; shift 2 ;;
    --roster-jar) ROSTER_JAR=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; RESULTS_DIR=$2/results; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "freeze-busy.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
MONGO_PORT=$PORT_BASE REDIS_PORT=$((PORT_BASE + 1))
A_HTTP=$((PORT_BASE + 10)) A_MGMT=$((PORT_BASE + 11)) B_HTTP=$((PORT_BASE + 20)) B_MGMT=$((PORT_BASE + 21))
ensure_tools
check_ports_free "$MONGO_PORT" "$REDIS_PORT" "$A_HTTP" "$A_MGMT" "$B_HTTP" "$B_MGMT"
prepare_roster
export ROSTER_TOKEN=$TOKEN

for busy in $BUSY_LIST; do
  log "roster.cache.redis-busy-timeout=$busy"
  start_redis "$REDIS_PORT"
  start_mongo "$MONGO_PORT"
  COMMON=(-Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT"
          -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -Droster.cache.key-prefix=busy
          -Droster.cache.redis-busy-timeout="$busy")
  start_roster "a-$busy" "$ROSTER_JAR" "$A_HTTP" "$A_MGMT" "${COMMON[@]}"
  start_roster "b-$busy" "$ROSTER_JAR" "$B_HTTP" "$B_MGMT" "${COMMON[@]}"
  wait_ready "a-$busy" "$A_MGMT"
  wait_ready "b-$busy" "$B_MGMT"
  "$BENCH_DIR/load-data.sh" --url "http://127.0.0.1:$A_HTTP" --team SMALL --members 100 --prefix small_ \
    >>"$LOGS/load-data.log" 2>&1 || die "loading data failed (see $LOGS/load-data.log)"
  for port in "$A_HTTP" "$B_HTTP"; do
    for _ in 1 2; do curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/teams/SMALL/members" || true; done
  done
  csv=$WORK/closed-$busy.csv stops=$WORK/stops-$busy.txt
  rm -f "$WORK/stop"
  timeout 90 "$JAVA" "$BENCH_DIR/resilience/FaultLoad.java" closed \
    --urls "http://127.0.0.1:$A_HTTP,http://127.0.0.1:$B_HTTP" --path /teams/SMALL/members --clients 16 \
    --out "$csv" --stop-file "$WORK/stop" --max-seconds 60 2>"$LOGS/closed-$busy.err" &
  load_pid=$!
  PIDS+=("$load_pid")
  sleep 5  # JIT warm-up of the client and the instances
  : >"$stops"
  for _ in 1 2 3; do
    kill -STOP "$(redis_pid "$REDIS_PORT")"
    now_ms >>"$stops"
    sleep 3
    kill -CONT "$(redis_pid "$REDIS_PORT")"
    sleep 4
  done
  touch "$WORK/stop"
  wait "$load_pid" || true
  echo "== roster.cache.redis-busy-timeout=$busy"
  while read -r at; do
    sort -t, -k1,1n "$csv" | awk -F, -v s="$at" '
      $1 >= s - 500 && $1 < s + 3000 { n++; if ($4 > m) m = $4
        if ($4 > 375000) printf "  %+d ms, %s, %.0f ms, %s\n", $1 - s, $2, $4 / 1000, $6 }
      END { printf "  freeze %s: %d GETs started from -0.5 s to +3 s, max %.0f ms\n", s, n, m / 1000 }'
  done <"$stops"
  grep -h 'RedisTimeoutException' "$LOGS/a-$busy.log" "$LOGS/b-$busy.log" | sed 's/^/  log: /' | cut -c1-200 || true
  stop_pid "${ROSTER_PID[a-$busy]}"
  stop_pid "${ROSTER_PID[b-$busy]}"
  stop_pid "$MONGO_PID"
  kill -CONT "$(redis_pid "$REDIS_PORT")" 2>/dev/null || true
  stop_pid "$(redis_pid "$REDIS_PORT")" 5
done
