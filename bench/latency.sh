#!/usr/bin/env bash
# Redis latency and the big listing's hit time: runs three Roster instances side by side on one Redis and one
# MongoDB wire-protocol server: "direct" (Redis on its port), "proxy-0" (through bench/tools/DelayProxy.java with
# no delay: the proxy's own cost) and "proxy-D" (through the proxy adding --redis-delay-ms to each direction).
# Loads a big team, warms all three up together, then measures warm hits of the whole listing, once without and
# once with Accept-Encoding: gzip, for each instance in alternating order over several rounds, and reports per
# instance the median and min–max of the time, the bytes on the wire and the Redis commands per hit, plus how
# many sequential Redis round trips the extra time of proxy-D amounts to. Results: bench/results/latency-latest.md.
#
#   bench/latency.sh [--members N] [--redis-delay-ms MS] [--rounds N] [--hits N] [--roster-jar PATH --roster-commit TEXT]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/latency.sh${*:+ $*}"

MEMBERS=1000000
DELAY_MS=0.5
ROUNDS=3
HITS=5
PORT_BASE=18700
WORK=${TMPDIR:-/tmp}/roster-latency
RESULTS_DIR=$BENCH_DIR/results
ROSTER_JAR=
ROSTER_COMMIT=
NO_INSTALL=0

usage() {
  cat <<'EOF'
Usage: bench/latency.sh [options]

  --members N           members of the big team LAT (default 1000000)
  --redis-delay-ms MS   delay the proxy adds to each direction for proxy-D (default 0.5)
  --rounds N            measured rounds, the instances in alternating order (default 3)
  --hits N              hits per instance, encoding and round; the round's value is their median (default 5)
  --port-base P         first port on 127.0.0.1 (default 18700; uses P .. P+11)
  --work DIR            build and scratch directory (default ${TMPDIR:-/tmp}/roster-latency)
  --results DIR         where latency-latest.md goes (default bench/results)
  --roster-jar PATH     use this prebuilt target/quarkus-app/quarkus-run.jar instead of building Roster
  --roster-commit TEXT  the commit that jar was built from (required with --roster-jar)
  --no-install          do not apt-get install missing tools
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --members) MEMBERS=$2; shift 2 ;;
    --redis-delay-ms) DELAY_MS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --hits) HITS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --roster-jar) ROSTER_JAR=$2; shift 2 ;;
    --roster-commit) ROSTER_COMMIT=$2; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "latency.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && ((ROUNDS >= 1)) || { echo "latency.sh: --rounds needs a positive number" >&2; exit 2; }
if [[ -n "$ROSTER_JAR" && -z "$ROSTER_COMMIT" ]]; then
  echo "latency.sh: --roster-jar needs --roster-commit (the commit the jar was built from)" >&2; exit 2
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
ensure_tools
if [[ -z "$ROSTER_COMMIT" ]]; then
  ROSTER_COMMIT=$(git -C "$REPO_DIR" rev-parse HEAD)
  changed=$(git -C "$REPO_DIR" status --porcelain -- . ':!bench/results' | wc -l)
  ((changed)) && ROSTER_COMMIT="$ROSTER_COMMIT dirty ($changed changed files)"
fi

SYSTEMS=(direct proxy-0 proxy-D)
declare -A HTTP=([direct]=$PORT_BASE [proxy-0]=$((PORT_BASE + 2)) [proxy-D]=$((PORT_BASE + 4)))
declare -A MGMT=([direct]=$((PORT_BASE + 1)) [proxy-0]=$((PORT_BASE + 3)) [proxy-D]=$((PORT_BASE + 5)))
REDIS_PORT=$((PORT_BASE + 8)); MONGO_PORT=$((PORT_BASE + 9))
declare -A REDIS_VIA=([direct]=$REDIS_PORT [proxy-0]=$((PORT_BASE + 10)) [proxy-D]=$((PORT_BASE + 11)))
declare -A DELAY=([direct]=- [proxy-0]=0 [proxy-D]=$DELAY_MS)
check_ports_free "${HTTP[@]}" "${MGMT[@]}" "$REDIS_PORT" "$MONGO_PORT" "${REDIS_VIA[proxy-0]}" "${REDIS_VIA[proxy-D]}"

prepare_roster
start_redis "$REDIS_PORT"
MONGO_HEAP=6g start_mongo "$MONGO_PORT"   # the big team needs more than the default 1g
for s in proxy-0 proxy-D; do
  (exec "$JAVA" -Xmx128m "$BENCH_DIR/tools/DelayProxy.java" --listen "${REDIS_VIA[$s]}" \
     --target "127.0.0.1:$REDIS_PORT" --delay-ms "${DELAY[$s]}" >>"$LOGS/proxy-$s.log" 2>&1) &
  PIDS+=("$!")
done
for s in proxy-0 proxy-D; do
  for _ in $(seq 300); do grep -q listening "$LOGS/proxy-$s.log" 2>/dev/null && break; sleep 0.1; done
  grep -q listening "$LOGS/proxy-$s.log" || die "the delay proxy of $s did not start (see $LOGS/proxy-$s.log)"
done
for s in "${SYSTEMS[@]}"; do
  start_roster "$s" "$ROSTER_JAR" "${HTTP[$s]}" "${MGMT[$s]}" \
    -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT" \
    -Dquarkus.redis.hosts="redis://127.0.0.1:${REDIS_VIA[$s]}" -Droster.cache.key-prefix="lat-$s" \
    -Droster.cache.caches.team-listing.ttl=1h
done
for s in "${SYSTEMS[@]}"; do wait_ready "$s" "${MGMT[$s]}"; done
log "Roster direct, through the proxy without delay, and through the proxy with ${DELAY_MS} ms each way: up"

# Round trip to Redis as each instance sees it: 500 sequential PINGs on one connection.
declare -A RTT
for s in "${SYSTEMS[@]}"; do
  t0=$(date +%s%N)
  redis-cli -p "${REDIS_VIA[$s]}" -r 500 ping >/dev/null
  t1=$(date +%s%N)
  RTT[$s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 / 500 }')
  log "  $s: Redis round trip ${RTT[$s]} ms (500 PINGs in a row, redis-cli)"
done

TEAM=LAT
log "loading team $TEAM with $MEMBERS members"
ROSTER_TOKEN=$TOKEN "$BENCH_DIR/load-data.sh" --url "http://127.0.0.1:${HTTP[direct]}" --team "$TEAM" \
  --members "$MEMBERS" --prefix lat_ >"$LOGS/load.log" 2>&1 || { tail -5 "$LOGS/load.log" >&2; die "loading failed"; }
URL_PATH=/teams/$TEAM/members

redis_commands() { redis-cli -p "$REDIS_PORT" info stats | awk -F: '/^total_commands_processed/ {print $2+0}'; }

# hit SYSTEM ENCODING -> "status seconds bytes redis_commands served"
hit() {
  local s=$1 enc=$2 accept=() before after out cmds served
  [[ $enc == gzip ]] && accept=(-H 'Accept-Encoding: gzip')
  : >"$WORK/hit.headers"
  before=$(redis_commands)
  out=$(timeout 600 curl -s ${accept[@]+"${accept[@]}"} -D "$WORK/hit.headers" -o /dev/null \
          -w '%{http_code} %{time_total} %{size_download}' "http://127.0.0.1:${HTTP[$s]}$URL_PATH") || true
  [[ -n "$out" ]] || out="000 0 0"
  after=$(redis_commands)
  cmds=$((after - before - 1))   # the first INFO is counted by the second
  served=$(tr -d '\r' <"$WORK/hit.headers" | awk '
      tolower($1) == "content-encoding:" { enc = $2 } tolower($1) == "cache-status:" { sub(/^[^:]*: */, ""); cs = $0 }
      END { gsub(/ /, "_", cs); printf "%s|%s", (enc == "" ? "identity" : enc), (cs == "" ? "-" : cs) }')
  echo "$out $cmds $served"
}

log "common warm-up: a cold call, two warm calls and one gzip call per instance"
for s in "${SYSTEMS[@]}"; do
  read -r status secs bytes _ _ <<<"$(hit "$s" identity)"
  [[ $status == 200 ]] || die "$s answered $status to the first GET $URL_PATH"
  log "  $s cold: $secs s, $bytes bytes"
  hit "$s" identity >/dev/null; hit "$s" identity >/dev/null; hit "$s" gzip >/dev/null
done

stats() {  # stats "v1 v2 ..." DECIMALS -> "median (min–max)"
  tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk -v d="${2:-3}" '{ a[NR] = $1 }
    END { if (!NR) { print "-"; exit } m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
          f = "%." d "f"; if (a[1] == a[NR]) printf f "\n", m; else printf f " (" f "–" f ")\n", m, a[1], a[NR] }'
}
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# per_round_diff A B: the per-round differences A - B of two lists measured in the same rounds
per_round_diff() { paste -d' ' <(tr ' ' '\n' <<<"$1" | grep -v '^$') <(tr ' ' '\n' <<<"$2" | grep -v '^$') | awk '{ printf "%s ", $1 - $2 }'; }

declare -A T B C SERVED
ORDERS=()
for ((r = 1; r <= ROUNDS; r++)); do
  order=("${SYSTEMS[@]}")
  ((r % 2 == 0)) && order=(proxy-D proxy-0 direct)
  ORDERS+=("round $r: ${order[*]}")
  for s in "${order[@]}"; do
    for enc in identity gzip; do
      times=""; counts=""
      for ((h = 1; h <= HITS; h++)); do
        read -r status secs bytes cmds served <<<"$(hit "$s" "$enc")"
        [[ $status == 200 ]] || { log "  $s $enc answered $status"; continue; }
        times+="$secs "; counts+="$cmds "
      done
      secs=$(median "$times"); cmds=$(median "$counts")
      T[$s,$enc]+="$secs "; B[$s,$enc]+="$bytes "; C[$s,$enc]+="$cmds "
      SERVED[$s,$enc]=$(sed 's/_/ /g; s/; *ttl=[0-9]*//g' <<<"$served")
      log "  round $r $s $enc: median of $HITS hits $secs s ($times), $bytes bytes, $cmds Redis commands, served ${SERVED[$s,$enc]//|/, }"
    done
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

added_rtt=$(awk -v a="${RTT[proxy-D]}" -v b="${RTT[proxy-0]}" 'BEGIN { printf "%.3f", a - b }')
mkdir -p "$RESULTS_DIR"
report=$RESULTS_DIR/latency-latest.md
{
  echo "# Redis latency and the big listing's warm hit"
  echo
  echo "- command: \`$COMMAND_LINE\`"
  echo "- Roster commit: $ROSTER_COMMIT (packaged jar, prod profile; listing entries live 1 h)"
  echo "- machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory"
  echo "- load average: $LOAD_BEFORE before, $LOAD_END after"
  echo "- team $TEAM of $MEMBERS members; three Roster instances on one Redis (key prefixes lat-direct, lat-proxy-0, lat-proxy-D) and one MongoDB wire-protocol server"
  echo "- direct: Redis on its port; proxy-0: through \`bench/tools/DelayProxy.java\` with no delay; proxy-D: through the proxy with ${DELAY_MS} ms added to each direction"
  echo "- one common warm-up (a cold call, two warm calls, one gzip call each), then $ROUNDS rounds, the instances in alternating order; each round and instance: $HITS warm GETs of the whole listing without Accept-Encoding, then $HITS with \`Accept-Encoding: gzip\` (curl, bytes on the wire: not decoded); the round's value is the median of its $HITS hits"
  echo "- Redis commands per hit: INFO total_commands_processed delta around the call (the other instances idle; median of the round's hits)"
  echo
  echo "| instance | Redis round trip (ms, 500 PINGs) | encoding | time (s) | bytes | Redis commands | served as |"
  echo "|---|---:|---|---:|---:|---:|---|"
  for s in "${SYSTEMS[@]}"; do
    for enc in identity gzip; do
      served=${SERVED[$s,$enc]}
      echo "| $s | ${RTT[$s]} | $enc | $(stats "${T[$s,$enc]}" 4) | $(stats "${B[$s,$enc]}" 0) | $(stats "${C[$s,$enc]}" 0) | ${served%%|*}; Cache-Status: ${served#*|} |"
    done
  done
  echo
  echo "Cells read \`median (min–max)\` over the rounds."
  echo
  echo "| encoding | extra time of proxy-D over proxy-0 (ms, median of per-round differences) | added round trip (ms) | extra time ÷ added round trip | Redis commands per hit |"
  echo "|---|---:|---:|---:|---:|"
  for enc in identity gzip; do
    d=$(per_round_diff "${T[proxy-D,$enc]}" "${T[proxy-0,$enc]}")
    extra_ms=$(awk -v x="$(median "$d")" 'BEGIN { printf "%.2f", x * 1000 }')
    spread=$(tr ' ' '\n' <<<"$d" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 * 1000 } END { printf "%.2f–%.2f", a[1], a[NR] }')
    trips=$(awk -v e="$extra_ms" -v r="$added_rtt" 'BEGIN { if (r > 0) printf "%.1f", e / r; else print "-" }')
    echo "| $enc | $extra_ms ($spread) | $added_rtt | $trips | $(stats "${C[proxy-D,$enc]}" 0) |"
  done
  echo
  echo "The added round trip is the measured PING round trip through proxy-D minus through proxy-0, so the proxy's"
  echo "own cost cancels out. Extra time ÷ added round trip is the number of Redis round trips the hit waits for one"
  echo "after another: close to the Redis commands per hit when they are sent one at a time, much lower when they"
  echo "are pipelined or sent in parallel."
  echo
  echo "Order of the instances: ${ORDERS[*]}"
} >"$report"
cat "$report"
log "results: $report (logs in $LOGS)"
