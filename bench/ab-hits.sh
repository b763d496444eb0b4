#!/usr/bin/env bash
# A/B of Redis-path cache hits between two commits of Roster: builds both packaged apps, starts them side by
# side against one MongoDB wire-protocol server and one Redis (separate key prefixes), loads a 100-member team,
# warms both up together, then measures both in alternating order over several rounds (A,B then B,A, ...) and
# reports per system the median and the spread of requests/s and of p99 latency, and the ratio B/A.
#
#   bench/ab-hits.sh [--before REF] [--after REF] [--rounds N] [--duration S] [--warmup S] [--work DIR]
#
# Defaults: before = the commit named by --before (required unless ROSTER_AB_BEFORE is set), after = HEAD,
# 5 rounds of 10 s, 15 s common warm-up, wrk -t2 -c32. Results: bench/results/ab-hits-latest.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/ab-hits.sh${*:+ $*}"

BEFORE=${ROSTER_AB_BEFORE:-}
AFTER=HEAD
ROUNDS=5
DURATION=10
WARMUP=15
PORT_BASE=18800
WORK=${TMPDIR:-/tmp}/roster-ab
RESULTS_DIR=$BENCH_DIR/results
NO_INSTALL=0
while (($#)); do
  case $1 in
    --before) BEFORE=$2; shift 2 ;;
    --after) AFTER=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h | --help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n "$BEFORE" ]] || { echo "--before REF is required" >&2; exit 2; }

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
ensure_tools
command -v wrk >/dev/null || { ((NO_INSTALL)) && die "wrk missing"; apt-get install -y wrk >/dev/null; }

declare -A SHA JAR HTTP MGMT
SHA[A]=$(git -C "$REPO_DIR" rev-parse --short "$BEFORE")
SHA[B]=$(git -C "$REPO_DIR" rev-parse --short "$AFTER")
HTTP[A]=$PORT_BASE; MGMT[A]=$((PORT_BASE + 1)); HTTP[B]=$((PORT_BASE + 2)); MGMT[B]=$((PORT_BASE + 3))
REDIS_PORT=$((PORT_BASE + 4)); MONGO_PORT=$((PORT_BASE + 5))
check_ports_free "${HTTP[A]}" "${MGMT[A]}" "${HTTP[B]}" "${MGMT[B]}" "$REDIS_PORT" "$MONGO_PORT"

for s in A B; do
  ref=${SHA[$s]}
  src=$WORK/src-$ref
  if [[ ! -s "$src/target/quarkus-app/quarkus-run.jar" ]]; then
    log "building $s = $ref (log: $LOGS/build-$ref.log)"
    rm -rf "$src"; mkdir -p "$src"
    git -C "$REPO_DIR" archive "$ref" | tar -C "$src" -xf -
    chmod +x "$src/mvnw"
    build_roster "$src" "$LOGS/build-$ref.log"
  fi
  JAR[$s]=$src/target/quarkus-app/quarkus-run.jar
done
MONGO_CP=$(mongo_classpath "$WORK/src-${SHA[B]}")
mint_token

start_redis "$REDIS_PORT"
start_mongo "$MONGO_PORT"
for s in A B; do
  start_roster "$s" "${JAR[$s]}" "${HTTP[$s]}" "${MGMT[$s]}" \
    -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT" \
    -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -Droster.cache.key-prefix="ab$s"
done
for s in A B; do wait_ready "$s" "${MGMT[$s]}"; done

TEAM=AB100
lines=$(for i in $(seq 0 99); do printf '{"name":"ab_%03d","team":"%s","role":"dev"}\n' "$i" "$TEAM"; done)
curl -fsS -o /dev/null -H @"$WORK/auth.header" -H 'Content-Type: application/x-ndjson' --data-binary "$lines" \
  "http://127.0.0.1:${HTTP[B]}/members/bulk" || die "loading the team failed"
URL_PATH=/teams/$TEAM/members

measure() {  # measure SYSTEM SECONDS -> "req_per_s p99_ms"
  local out
  out=$(timeout $(($2 + 30)) wrk -t2 -c32 -d"$2"s --latency "http://127.0.0.1:${HTTP[$1]}$URL_PATH")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

for s in A B; do
  status=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:${HTTP[$s]}$URL_PATH" | tr -d '\r' | awk -F': ' 'tolower($1)=="cache-status" {print $2}')
  status=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:${HTTP[$s]}$URL_PATH" | tr -d '\r' | awk -F': ' 'tolower($1)=="cache-status" {print $2}')
  [[ "$status" == *hit* ]] || die "$s does not hit: $status"
done
log "common warm-up: ${WARMUP}s each"
for s in A B; do measure "$s" "$WARMUP" >/dev/null; done

declare -A RPS P99
for r in $(seq 1 "$ROUNDS"); do
  order="A B"; ((r % 2 == 0)) && order="B A"
  for s in $order; do
    read -r rps p99 < <(measure "$s" "$DURATION")
    RPS[$s]+="$rps "; P99[$s]+="$p99 "
    log "round $r $s (${SHA[$s]}): $rps req/s, p99 $p99 ms"
  done
done

stats() {  # stats "v1 v2 ..." -> "median min max"
  tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.1f %.1f %.1f", m, a[1], a[NR]}'
}
read -r ra_m ra_lo ra_hi <<<"$(stats "${RPS[A]}")"; read -r rb_m rb_lo rb_hi <<<"$(stats "${RPS[B]}")"
read -r pa_m pa_lo pa_hi <<<"$(stats "${P99[A]}")"; read -r pb_m pb_lo pb_hi <<<"$(stats "${P99[B]}")"
ratio=$(awk -v a="$ra_m" -v b="$rb_m" 'BEGIN {printf "%.2f", b / a}')
p99ratio=$(awk -v a="$pa_m" -v b="$pb_m" 'BEGIN {printf "%.2f", b / a}')

mkdir -p "$RESULTS_DIR"
report=$RESULTS_DIR/ab-hits-latest.md
{
  echo "# A/B: Redis-path hits on a 100-member team listing"
  echo
  echo "- command: \`$COMMAND_LINE\`"
  echo "- A = \`${SHA[A]}\`, B = \`${SHA[B]}\` (both packaged jars, prod profile, one Redis and one MongoDB wire-protocol server, separate key prefixes)"
  echo "- machine: $(machine_line)"
  echo "- load: \`wrk -t2 -c32 -d${DURATION}s\` on \`GET $URL_PATH\`, $ROUNDS rounds in alternating order (A,B / B,A) after a common ${WARMUP}s warm-up of each"
  echo
  echo "| system | req/s median | req/s min–max | p99 ms median | p99 ms min–max |"
  echo "|---|---|---|---|---|"
  echo "| A \`${SHA[A]}\` | $ra_m | $ra_lo–$ra_hi | $pa_m | $pa_lo–$pa_hi |"
  echo "| B \`${SHA[B]}\` | $rb_m | $rb_lo–$rb_hi | $pb_m | $pb_lo–$pb_hi |"
  echo
  echo "B/A: throughput ${ratio}×, p99 ${p99ratio}× (medians of one run; ratios only, absolute numbers depend on the machine)."
  echo
  echo "Per round (req/s): A: ${RPS[A]}; B: ${RPS[B]}"
} >"$report"
cat "$report"
