#!/usr/bin/env bash
# Cold keys and hot keys (issue #5): (1) the stampede count: 200 concurrent requests for one cold listing,
# split over two Roster instances sharing one Redis, and how many MongoDB loads they cause (target 1), with a
# cache-off instance as the reference; (2) a hot key across its TTL boundary: wrk on one listing for 4 TTLs
# with early refresh on (default 0.2) and off (0), reporting req/s, p99 and the misses seen.
#   bash bench/stampede.sh [--roster-jar PATH] [--ttl SECONDS]
# Writes bench/results/stampede-latest.md. Loopback only; everything stops at exit.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
WORK=${TMPDIR:-/tmp}/roster-stampede
RESULTS_DIR=$BENCH_DIR/results
ROSTER_JAR=
TTL=3
PORT_BASE=18800
while [[ $# -gt 0 ]]; do
  case "$1" in
    --roster-jar) ROSTER_JAR=$(readlink -f "$2"); shift 2 ;;
    --ttl) TTL=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    *) echo "stampede.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
touch "$LOGS/mongo.log"
trap cleanup EXIT INT TERM
command -v wrk >/dev/null && command -v redis-server >/dev/null || apt-get install -y wrk redis-server redis-tools >/dev/null

REDIS_PORT=$PORT_BASE MONGO_PORT=$((PORT_BASE + 1))
check_ports_free "$REDIS_PORT" "$MONGO_PORT" $((PORT_BASE + 10)) $((PORT_BASE + 11)) $((PORT_BASE + 12)) $((PORT_BASE + 13))
prepare_roster
start_redis "$REDIS_PORT"; start_mongo "$MONGO_PORT"
COMMON=(-Dquarkus.mongodb.connection-string=mongodb://127.0.0.1:$MONGO_PORT -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT)
http() { echo $((PORT_BASE + 10 + $1)); }
mgmt() { echo $((PORT_BASE + 20 + $1)); }
loads() {  # loads INSTANCE CACHE: cache_loads_seconds_count of one cache
  curl -s "http://127.0.0.1:$(mgmt "$1")/q/metrics" | awk -v c="cache=\"$2\"" 'index($0,"cache_loads_seconds_count{") && !index($0,"roster_") && index($0,c) {s+=$NF} END {print s+0}'
}
misses() {
  curl -s "http://127.0.0.1:$(mgmt "$1")/q/metrics" | awk -v c="cache=\"$2\"" 'index($0,"cache_gets_total{") && !index($0,"roster_") && index($0,c) && index($0,"result=\"miss\"") {s+=$NF} END {print s+0}'
}
start() {  # start INDEX extra -D options...
  local i=$1; shift
  start_roster "r$i" "$ROSTER_JAR" "$(http "$i")" "$(mgmt "$i")" "${COMMON[@]}" "$@"
  wait_ready "r$i" "$(mgmt "$i")"
}
load_team() {  # load_team TEAM SIZE (through instance 0)
  seq 0 $(($2 - 1)) | awk -v t="$1" '{printf "{\"name\":\"%s_%06d\",\"team\":\"%s\"}\n", t, $1, t}' \
    | curl -sf -XPOST "http://127.0.0.1:$(http 0)/members/bulk" -H "@$WORK/auth.header" \
        -H 'Content-Type: application/x-ndjson' --data-binary @- >/dev/null
}
burst() {  # burst URL_A URL_B: 200 concurrent GETs, half on each; prints the distinct body hashes
  seq 200 | xargs -P 200 -I{} sh -c 'if [ $(({} % 2)) -eq 0 ]; then u=$0; else u=$1; fi; curl -s "$u" | md5sum' "$1" "$2" | sort -u | wc -l
}

log "part 1: stampede"
start 0; start 1; start 2 -Droster.cache.enabled=false
load_team STAMPEDE 2000
load_team WARMUP 50
for _ in 1 2 3 4; do   # a serving fleet is warm: JIT first (cold JVMs can stall Redis replies past the timeout)
  burst "http://127.0.0.1:$(http 0)/teams/WARMUP/members" "http://127.0.0.1:$(http 1)/teams/WARMUP/members" >/dev/null
done
sleep 2
url() { echo "http://127.0.0.1:$(http "$1")/teams/STAMPEDE/members"; }
before=$(( $(loads 0 team-listing) + $(loads 1 team-listing) ))
bodies=$(burst "$(url 0)" "$(url 1)")
cached_loads=$(( $(loads 0 team-listing) + $(loads 1 team-listing) - before ))
before_off=$(loads 2 team-listing)
bodies_off=$(burst "$(url 2)" "$(url 2)")
off_loads=$(( $(loads 2 team-listing) - before_off ))
for i in 0 1 2; do stop_pid "${ROSTER_PID[r$i]}"; done

log "part 2: a hot key across its TTL boundary (TTL ${TTL}s, 4 TTLs of load)"
start 0 -Droster.cache.caches.team-listing.ttl=${TTL}s -Droster.cache.jitter=0
start 1 -Droster.cache.caches.team-listing.ttl=${TTL}s -Droster.cache.jitter=0 -Droster.cache.early-refresh=0
load_team HOT 100
rows=()
for i in 0 1; do
  hot="http://127.0.0.1:$(http "$i")/teams/HOT/members"
  timeout 20 wrk -t2 -c16 -d3s "$hot" >/dev/null 2>&1 || true   # warm-up (JIT)
  m0=$(misses "$i" team-listing)
  out=$(timeout $((4 * TTL + 20)) wrk -t2 -c16 -d$((4 * TTL))s --latency "$hot" 2>&1)
  m1=$(misses "$i" team-listing)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  rows+=("| $([[ $i == 0 ]] && echo "on (0.2)" || echo "off (0)") | $rps | $p99 | $((m1 - m0)) |")
done

out_file=$RESULTS_DIR/stampede-latest.md
{
  echo "# Cold and hot keys ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "Command: \`bash bench/stampede.sh\`. Machine: $(machine_line). Checkout: $(checkout_line)."
  echo
  echo "## Stampede: 200 concurrent requests for one cold 2,000-member listing (streamed path)"
  echo
  echo "| system | instances | MongoDB loads | distinct bodies |"
  echo "|---|---:|---:|---:|"
  echo "| Roster, cache on (single flight + lease) | 2 sharing one Redis | $cached_loads | $bodies |"
  echo "| Roster, cache off (reference) | 1 | $off_loads | $bodies_off |"
  echo
  echo "Loads are the \`cache_loads_seconds_count{cache=\"team-listing\"}\` deltas of the instances."
  echo
  echo "## A hot key across its TTL boundary: wrk -t2 -c16 for 4 TTLs of ${TTL} s on a 100-member listing"
  echo
  echo "| early refresh | req/s | p99 | misses during the run |"
  echo "|---|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee "$out_file"
