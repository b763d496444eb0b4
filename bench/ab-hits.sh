#!/usr/bin/env bash
# A/B of cache hits on a 100-member team listing, either between two commits of Roster, or between Roster and a
# stock baseline (bench/baseline: quarkus-redis-cache with @CacheResult). Starts both side by side against one
# MongoDB wire-protocol server and one Redis (separate key prefixes / databases), loads the team, checks that both
# answer from their cache, warms both up together, then measures both in alternating order over several rounds
# (A,B then B,A, ...) and reports per system the median and the min–max of requests/s and of p99 latency, and the
# ratios B/A (median of the per-round ratios, and ratio of the medians).
#
#   bench/ab-hits.sh --before REF [--after REF]                 two commits of Roster (A = before, B = after)
#   bench/ab-hits.sh --against SYSTEM [--after REF | --roster-jar PATH --roster-commit TEXT]
#                                                               A = a stock baseline, B = Roster
#   common: [--rounds N] [--duration S] [--warmup S] [--connections N] [--work DIR] [--results DIR]
#           [--port-base P] [--no-install]
#
# SYSTEM: baseline-tuned (caches the listing object, Redis pool 32), baseline-body (caches the serialized body,
# pool 32) or baseline-default (the object, default pool). Defaults: after = HEAD, 5 rounds of 10 s, 15 s common
# warm-up, wrk -t2 -c32. Results: bench/results/ab-hits-latest.md (commits) or ab-hits-<SYSTEM>-latest.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/ab-hits.sh${*:+ $*}"

BEFORE=${ROSTER_AB_BEFORE:-}
AFTER=HEAD
AGAINST=
ROSTER_JAR=
ROSTER_COMMIT=
ROUNDS=5
DURATION=10
WARMUP=15
CONNECTIONS=32
PORT_BASE=18800
WORK=${TMPDIR:-/tmp}/roster-ab
RESULTS_DIR=$BENCH_DIR/results
NO_INSTALL=0
while (($#)); do
  case $1 in
    --before) BEFORE=$2; shift 2 ;;
    --after) AFTER=$2; shift 2 ;;
    --against) AGAINST=$2; shift 2 ;;
    --roster-jar) ROSTER_JAR=$2; shift 2 ;;
    --roster-commit) ROSTER_COMMIT=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h | --help) sed -n 2,18p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -n "$AGAINST" ]]; then
  [[ $AGAINST == baseline-tuned || $AGAINST == baseline-body || $AGAINST == baseline-default ]] \
    || { echo "--against: one of baseline-tuned, baseline-body, baseline-default" >&2; exit 2; }
  [[ -z "$BEFORE" ]] || { echo "--against and --before exclude each other (A is the baseline)" >&2; exit 2; }
  if [[ -n "$ROSTER_JAR" && -z "$ROSTER_COMMIT" ]]; then
    echo "--roster-jar needs --roster-commit (the commit the jar was built from)" >&2; exit 2
  fi
else
  [[ -n "$BEFORE" ]] || { echo "--before REF (or --against SYSTEM) is required" >&2; exit 2; }
  [[ -z "$ROSTER_JAR" ]] || { echo "--roster-jar only goes with --against" >&2; exit 2; }
fi
((ROUNDS >= 3)) || { echo "--rounds: at least 3" >&2; exit 2; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
ensure_tools
command -v wrk >/dev/null || { ((NO_INSTALL)) && die "wrk missing"; apt-get install -y wrk >/dev/null; }

declare -A NAME JAR HTTP MGMT KIND
HTTP[A]=$PORT_BASE; MGMT[A]=$((PORT_BASE + 1)); HTTP[B]=$((PORT_BASE + 2)); MGMT[B]=$((PORT_BASE + 3))
REDIS_PORT=$((PORT_BASE + 4)); MONGO_PORT=$((PORT_BASE + 5))
check_ports_free "${HTTP[A]}" "${MGMT[A]}" "${HTTP[B]}" "${MGMT[B]}" "$REDIS_PORT" "$MONGO_PORT"

# build_ref REF -> the jar of Roster at REF (git archive of the commit, built once per commit in WORK)
build_ref() {
  local ref=$1 src=$WORK/src-$1
  if [[ ! -s "$src/target/quarkus-app/quarkus-run.jar" ]]; then
    log "building $ref (log: $LOGS/build-$ref.log)"
    rm -rf "$src"; mkdir -p "$src"
    git -C "$REPO_DIR" archive "$ref" | tar -C "$src" -xf -
    chmod +x "$src/mvnw"
    build_roster "$src" "$LOGS/build-$ref.log"
  fi
  echo "$src/target/quarkus-app/quarkus-run.jar"
}

KIND[B]=roster
if [[ -n "$AGAINST" ]]; then
  KIND[A]=$AGAINST
  if [[ -n "$ROSTER_JAR" ]]; then
    JAR[B]=$(readlink -f "$ROSTER_JAR"); NAME[B]="Roster $ROSTER_COMMIT (prebuilt jar)"
    copy_checkout "$WORK/src"; MONGO_SRC=$WORK/src
  else
    sha=$(git -C "$REPO_DIR" rev-parse "$AFTER")
    JAR[B]=$(build_ref "$sha"); NAME[B]="Roster $sha"; MONGO_SRC=$WORK/src-$sha
  fi
  log "building the baseline app (bench/baseline; log: $LOGS/build-baseline.log)"
  mkdir -p "$WORK/baseline"
  find "$WORK/baseline" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
  cp -r "$BENCH_DIR/baseline/." "$WORK/baseline/"
  cp -r "$REPO_DIR/.mvn" "$REPO_DIR/mvnw" "$WORK/baseline/"
  (cd "$WORK/baseline" && ./mvnw -B -q package -DskipTests) >"$LOGS/build-baseline.log" 2>&1 \
    || { tail -40 "$LOGS/build-baseline.log" >&2; die "baseline build failed"; }
  JAR[A]=$WORK/baseline/target/quarkus-app/quarkus-run.jar
  bench_commit=$(git -C "$REPO_DIR" rev-parse HEAD)
  [[ -n "$(git -C "$REPO_DIR" status --porcelain -- bench/baseline)" ]] && bench_commit="$bench_commit dirty (bench/baseline has changes)"
  NAME[A]="stock $AGAINST (bench/baseline at $bench_commit)"
else
  KIND[A]=roster
  for s in A B; do
    ref=$([[ $s == A ]] && echo "$BEFORE" || echo "$AFTER")
    sha=$(git -C "$REPO_DIR" rev-parse "$ref")
    JAR[$s]=$(build_ref "$sha"); NAME[$s]="Roster $sha"
  done
  MONGO_SRC=$WORK/src-$(git -C "$REPO_DIR" rev-parse "$AFTER")
fi
MONGO_CP=$(mongo_classpath "$MONGO_SRC")
mint_token

start_redis "$REDIS_PORT"
start_mongo "$MONGO_PORT"
TEAM=AB100
declare -A URL_PATH HIT_KEY
for s in A B; do
  case ${KIND[$s]} in
    roster)
      start_roster "$s" "${JAR[$s]}" "${HTTP[$s]}" "${MGMT[$s]}" \
        -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT" \
        -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -Droster.cache.key-prefix="ab$s" \
        -Droster.cache.caches.team-listing.ttl=1h
      URL_PATH[$s]=/teams/$TEAM/members ;;
    baseline-*)
      pool=()
      [[ ${KIND[$s]} != baseline-default ]] && pool=(-Dquarkus.redis.max-pool-size=32 -Dquarkus.redis.max-pool-waiting=1024)
      (cd "$WORK" && exec "$JAVA" -Xmx1g -XX:+UseG1GC -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${HTTP[$s]}" \
         -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT" \
         -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT/1" ${pool[@]+"${pool[@]}"} \
         -jar "${JAR[$s]}" >>"$LOGS/$s.log" 2>&1) &
      ROSTER_PID[$s]=$!
      PIDS+=("$!")
      if [[ ${KIND[$s]} == baseline-body ]]; then
        URL_PATH[$s]=/body/teams/$TEAM/members; HIT_KEY[$s]=cache:members-body:$TEAM
      else
        URL_PATH[$s]=/teams/$TEAM/members; HIT_KEY[$s]=cache:members:$TEAM
      fi ;;
  esac
done
for s in A B; do
  if [[ ${KIND[$s]} == roster ]]; then
    wait_ready "$s" "${MGMT[$s]}"
  else
    for _ in $(seq 600); do curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${HTTP[$s]}/ceiling/json" 2>/dev/null && break
      kill -0 "${ROSTER_PID[$s]}" 2>/dev/null || { tail -30 "$LOGS/$s.log" >&2; die "$s exited at start"; }; sleep 0.2; done
    curl -fsS -o /dev/null "http://127.0.0.1:${HTTP[$s]}/ceiling/json" || die "$s is not ready after 120 s"
  fi
done

ROSTER_SIDE=B
lines=$(for i in $(seq 0 99); do printf '{"name":"ab_%03d","team":"%s","role":"dev"}\n' "$i" "$TEAM"; done)
curl -fsS -o /dev/null -H @"$WORK/auth.header" -H 'Content-Type: application/x-ndjson' --data-binary "$lines" \
  "http://127.0.0.1:${HTTP[$ROSTER_SIDE]}/members/bulk" || die "loading the team failed"

measure() {  # measure SYSTEM SECONDS -> "req_per_s p99_ms"
  local out rps p99
  out=$(timeout $(($2 + 30)) wrk -t2 -c"$CONNECTIONS" -d"$2"s --latency "http://127.0.0.1:${HTTP[$1]}${URL_PATH[$1]}")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

# Both must answer the team from their cache before anything is measured.
for s in A B; do
  curl -fsS -o /dev/null "http://127.0.0.1:${HTTP[$s]}${URL_PATH[$s]}" || die "$s does not answer ${URL_PATH[$s]}"
  if [[ ${KIND[$s]} == roster ]]; then
    status=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:${HTTP[$s]}${URL_PATH[$s]}" | tr -d '\r' | awk -F': ' 'tolower($1)=="cache-status" {print $2}')
    [[ "$status" == *hit* ]] || die "$s does not hit: $status"
  else
    [[ $(redis-cli -p "$REDIS_PORT" -n 1 exists "${HIT_KEY[$s]}") == 1 ]] || die "$s left no Redis entry ${HIT_KEY[$s]}"
    status="Redis entry ${HIT_KEY[$s]} present"
  fi
  log "$s (${NAME[$s]}): $status"
done
log "common warm-up: ${WARMUP}s each"
for s in A B; do measure "$s" "$WARMUP" >/dev/null; done

declare -A RPS P99
ORDERS=()
for r in $(seq 1 "$ROUNDS"); do
  order="A B"; ((r % 2 == 0)) && order="B A"
  ORDERS+=("$r: $order")
  for s in $order; do
    read -r rps p99 < <(measure "$s" "$DURATION")
    RPS[$s]+="$rps "; P99[$s]+="$p99 "
    log "round $r $s: $rps req/s, p99 $p99 ms"
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

stats() {  # stats "v1 v2 ..." -> "median min max"
  tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f %.2f", m, a[1], a[NR]}'
}
# round_ratios "b1 b2 ..." "a1 a2 ...": the per-round ratios b_r / a_r
round_ratios() { paste -d' ' <(tr ' ' '\n' <<<"$1" | grep -v '^$') <(tr ' ' '\n' <<<"$2" | grep -v '^$') | awk '$2 > 0 { printf "%s ", $1 / $2 }'; }
read -r ra_m ra_lo ra_hi <<<"$(stats "${RPS[A]}")"; read -r rb_m rb_lo rb_hi <<<"$(stats "${RPS[B]}")"
read -r pa_m pa_lo pa_hi <<<"$(stats "${P99[A]}")"; read -r pb_m pb_lo pb_hi <<<"$(stats "${P99[B]}")"
read -r rr_m rr_lo rr_hi <<<"$(stats "$(round_ratios "${RPS[B]}" "${RPS[A]}")")"
read -r pr_m pr_lo pr_hi <<<"$(stats "$(round_ratios "${P99[B]}" "${P99[A]}")")"
ratio=$(awk -v a="$ra_m" -v b="$rb_m" 'BEGIN {printf "%.2f", b / a}')
p99ratio=$(awk -v a="$pa_m" -v b="$pb_m" 'BEGIN {printf "%.2f", b / a}')

mkdir -p "$RESULTS_DIR"
if [[ -n "$AGAINST" ]]; then report=$RESULTS_DIR/ab-hits-$AGAINST-latest.md; else report=$RESULTS_DIR/ab-hits-latest.md; fi
{
  echo "# A/B: cache hits on a 100-member team listing"
  echo
  echo "- command: \`$COMMAND_LINE\`"
  echo "- A = ${NAME[A]}, \`GET ${URL_PATH[A]}\`"
  echo "- B = ${NAME[B]}, \`GET ${URL_PATH[B]}\`"
  echo "- both packaged jars (prod profile), -Xmx1g, one Redis and one MongoDB wire-protocol server (Roster: key prefix ab<A|B>; stock baseline: Redis DB 1)"
  echo "- machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory; load average $LOAD_BEFORE before, $LOAD_END after"
  echo "- load: \`wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency\`, one common ${WARMUP}s warm-up of each, then $ROUNDS rounds in alternating order (A,B / B,A)"
  echo
  echo "| system | req/s median | req/s min–max | p99 ms median | p99 ms min–max |"
  echo "|---|---|---|---|---|"
  echo "| A | $ra_m | $ra_lo–$ra_hi | $pa_m | $pa_lo–$pa_hi |"
  echo "| B | $rb_m | $rb_lo–$rb_hi | $pb_m | $pb_lo–$pb_hi |"
  echo
  echo "| B/A | median of the per-round ratios (min–max) | ratio of the medians |"
  echo "|---|---|---|"
  echo "| throughput | ${rr_m}× (${rr_lo}–${rr_hi}) | ${ratio}× |"
  echo "| p99 | ${pr_m}× (${pr_lo}–${pr_hi}) | ${p99ratio}× |"
  echo
  echo "Ratios only: absolute numbers depend on the machine and on whatever else runs on it."
  echo
  echo "Per round (req/s): A: ${RPS[A]}; B: ${RPS[B]}"
  echo
  echo "Per round (p99 ms): A: ${P99[A]}; B: ${P99[B]}"
  echo
  echo "Order of each round: ${ORDERS[*]}"
} >"$report"
cat "$report"
