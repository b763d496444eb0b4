#!/usr/bin/env bash
# Cache hits on one team listing (100 members by default), compared in one run: two commits of Roster, Roster and
# one stock baseline, or (--compare) Roster against the strongest things a user would build instead. Starts every
# system side by side against one MongoDB wire-protocol server and one Redis, loads the team, checks that each
# answers from its cache and which bytes each sends, warms all up together, then measures them in alternating
# order over several rounds (wrk), recording per window the CPU time of the system's processes and of Redis and the
# Redis commands by name. Reports per system the median and min–max of req/s, p99 and CPU per request, and ratios
# computed per round; a ratio between systems that send different bytes is refused.
#
#   bench/ab-hits.sh --before REF [--after REF]          two commits of Roster (A = before, B = after)
#   bench/ab-hits.sh --against SYSTEM [ROSTER]           A = one stock baseline, B = Roster
#   bench/ab-hits.sh --compare [--systems LIST] [ROSTER] Roster, its near cache, and every peer (below)
#   ROSTER: --after REF (default HEAD), or --roster-jar PATH --roster-commit TEXT
#   common: [--members N] [--accept-encoding identity|gzip] [--rounds N] [--duration S] [--warmup S]
#           [--threads N] [--connections N] [--gzip-tolerance PCT] [--work DIR] [--results DIR] [--port-base P]
#           [--no-install]
#
# Systems: roster-cache, roster-near (roster.cache.near.enabled=true), baseline-body (stock @CacheResult caching
# the serialized body in Redis), baseline-tuned (the listing object, Redis pool 32), baseline-default (the object,
# default pool), baseline-caffeine (the serialized body in stock Caffeine), nginx-body (nginx proxy_cache in front
# of baseline-body), ceiling-stream (the bytes from memory), ceiling-gzip (the same bytes gzip-compressed, from
# memory). --compare's default list: all of them but baseline-tuned and baseline-default. Defaults: 5 rounds of
# 10 s, 15 s common warm-up, wrk -t2 -c32, no Accept-Encoding. Fewer than 5 rounds make a trial, not a result.
# Results: bench/results/ab-hits-latest.md (commits), ab-hits-<SYSTEM>-latest.md, ab-hits-compare-<time>.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/ab-hits.sh${*:+ $*}"
ALL_SYSTEMS="roster-cache roster-near baseline-body baseline-tuned baseline-default baseline-caffeine nginx-body ceiling-stream ceiling-gzip"
COMPARE_DEFAULT="roster-cache roster-near baseline-body nginx-body baseline-caffeine ceiling-stream ceiling-gzip"

BEFORE=${ROSTER_AB_BEFORE:-}
AFTER=HEAD
AGAINST=
COMPARE=0
SYSTEM_LIST=
ROSTER_JAR=
ROSTER_COMMIT=
MEMBERS=100
ENCODING=identity
ROUNDS=5
DURATION=10
WARMUP=15
THREADS=2
CONNECTIONS=32
GZIP_TOLERANCE=1
PORT_BASE=18800
WORK=${TMPDIR:-/tmp}/roster-ab
RESULTS_DIR=$BENCH_DIR/results
NO_INSTALL=0
while (($#)); do
  case $1 in
    --before) BEFORE=$2; shift 2 ;;
    --after) AFTER=$2; shift 2 ;;
    --against) AGAINST=$2; shift 2 ;;
    --compare) COMPARE=1; shift ;;
    --systems) SYSTEM_LIST=${2//,/ }; shift 2 ;;
    --roster-jar) ROSTER_JAR=$2; shift 2 ;;
    --roster-commit) ROSTER_COMMIT=$2; shift 2 ;;
    --members) MEMBERS=$2; shift 2 ;;
    --accept-encoding) ENCODING=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --gzip-tolerance) GZIP_TOLERANCE=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h | --help) sed -n 2,24p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
usage_error() { echo "ab-hits.sh: $*" >&2; exit 2; }
modes=$(( (${#BEFORE} > 0) + (${#AGAINST} > 0) + COMPARE ))
((modes == 1)) || usage_error "give exactly one of --before REF, --against SYSTEM, --compare"
if [[ -n "$BEFORE" ]]; then
  [[ -z "$ROSTER_JAR" && -z "$SYSTEM_LIST" ]] || usage_error "--before takes neither --roster-jar nor --systems"
  SYSTEMS=(roster-before roster-after)
elif [[ -n "$AGAINST" ]]; then
  [[ " $ALL_SYSTEMS " == *" $AGAINST "* && $AGAINST != roster-* ]] || usage_error "--against: one of the systems but roster-*"
  [[ -z "$SYSTEM_LIST" ]] || usage_error "--against takes no --systems"
  SYSTEMS=("$AGAINST" roster-cache)
else
  read -r -a SYSTEMS <<<"${SYSTEM_LIST:-$COMPARE_DEFAULT}"
  for s in "${SYSTEMS[@]}"; do [[ " $ALL_SYSTEMS " == *" $s "* ]] || usage_error "unknown system $s"; done
  [[ " ${SYSTEMS[*]} " == *" roster-"* ]] || usage_error "--systems needs roster-cache or roster-near (the team is loaded through Roster)"
fi
[[ -z "$ROSTER_JAR" || -n "$ROSTER_COMMIT" ]] || usage_error "--roster-jar needs --roster-commit (the commit the jar was built from)"
[[ $ENCODING == identity || $ENCODING == gzip ]] || usage_error "--accept-encoding: identity or gzip"
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && ((ROUNDS >= 1)) || usage_error "--rounds: a positive number"
[[ "$MEMBERS" =~ ^[0-9]+$ ]] && ((MEMBERS >= 1 && MEMBERS <= 50000)) || usage_error "--members: 1 to 50000"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
# shellcheck source=lib/compare.sh
source "$BENCH_DIR/lib/compare.sh"
ensure_tools
command -v wrk >/dev/null || { ((NO_INSTALL)) && die "wrk missing"; apt-get install -y wrk >/dev/null; }
uses() { [[ " ${SYSTEMS[*]} " == *" $1 "* ]]; }
uses_prefix() { [[ " ${SYSTEMS[*]} " == *" $1"* ]]; }
if uses nginx-body; then ensure_nginx $((1 - NO_INSTALL)) || die "nginx-body needs nginx (see above), or leave it out with --systems"; fi

# Processes: Roster JVMs (one per Roster system), the stock baseline JVM "base" (pool 32, Redis DB 1: serves
# baseline-body, baseline-tuned, baseline-caffeine, the ceilings, and nginx's upstream), "base-default" (default
# pool, DB 2) and nginx.
declare -A HTTP=([roster-cache]=$PORT_BASE [roster-before]=$PORT_BASE [roster-near]=$((PORT_BASE + 2))
                 [roster-after]=$((PORT_BASE + 2)) [base]=$((PORT_BASE + 6)) [base-default]=$((PORT_BASE + 7))
                 [nginx]=$((PORT_BASE + 8)))
declare -A MGMT=([roster-cache]=$((PORT_BASE + 1)) [roster-before]=$((PORT_BASE + 1)) [roster-near]=$((PORT_BASE + 3))
                 [roster-after]=$((PORT_BASE + 3)))
REDIS_PORT=$((PORT_BASE + 4)); MONGO_PORT=$((PORT_BASE + 5))
check_ports_free $(seq "$PORT_BASE" $((PORT_BASE + 8)))
TEAM=AB$MEMBERS

# process_of SYSTEM: the process that serves it.
process_of() {
  case $1 in
    roster-*) echo "$1" ;;
    baseline-default) echo base-default ;;
    nginx-body) echo nginx ;;
    *) echo base ;;
  esac
}
# path_of SYSTEM: the route that lists the team.
path_of() {
  case $1 in
    baseline-body) echo "/body/teams/$TEAM/members" ;;
    baseline-caffeine) echo "/caffeine/teams/$TEAM/members" ;;
    ceiling-stream) echo "/ceiling/teams/$TEAM/members" ;;
    ceiling-gzip) echo "/ceiling/gzip/teams/$TEAM/members" ;;
    *) echo "/teams/$TEAM/members" ;;
  esac
}
url_of() { echo "http://127.0.0.1:${HTTP[$(process_of "$1")]}$(path_of "$1")"; }
# pids_of SYSTEM: the processes whose CPU time counts as the system's (nginx: master and workers, not the idle
# upstream JVM behind it).
pids_of() { if [[ $1 == nginx-body ]]; then nginx_pids; else echo "${ROSTER_PID[$(process_of "$1")]}"; fi; }

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

declare -A JAR DESC COMMIT
if [[ -n "$BEFORE" ]]; then
  for s in roster-before roster-after; do
    ref=$([[ $s == roster-before ]] && echo "$BEFORE" || echo "$AFTER")
    COMMIT[$s]=$(git -C "$REPO_DIR" rev-parse "$ref")
    JAR[$s]=$(build_ref "${COMMIT[$s]}")
  done
  MONGO_SRC=$WORK/src-${COMMIT[roster-after]}
  ROSTER_COMMITS="before ${COMMIT[roster-before]}, after ${COMMIT[roster-after]}"
else
  if [[ -n "$ROSTER_JAR" ]]; then
    jar=$(readlink -f "$ROSTER_JAR"); commit="$ROSTER_COMMIT (prebuilt jar)"
    copy_checkout "$WORK/src"; MONGO_SRC=$WORK/src
  else
    sha=$(git -C "$REPO_DIR" rev-parse "$AFTER"); jar=$(build_ref "$sha"); commit=$sha; MONGO_SRC=$WORK/src-$sha
  fi
  for s in roster-cache roster-near; do JAR[$s]=$jar; COMMIT[$s]=$commit; done
  ROSTER_COMMITS=$commit
fi
BASELINE_FROM=-
if uses_prefix baseline- || uses_prefix ceiling- || uses nginx-body; then
  # With gzip clients the stock app is built the way a user who wants gzip builds it: Quarkus's HTTP compression
  # on (a build-time setting), at level 1 like Roster's stored bodies.
  build_args=()
  [[ $ENCODING == gzip ]] && build_args=(-Dquarkus.http.enable-compression=true -Dquarkus.http.compression-level=1)
  log "building the baseline app (bench/baseline${build_args[*]:+ with ${build_args[*]}}; log: $LOGS/build-baseline.log)"
  mkdir -p "$WORK/baseline-$ENCODING"
  find "$WORK/baseline-$ENCODING" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
  cp -r "$BENCH_DIR/baseline/." "$WORK/baseline-$ENCODING/"
  cp -r "$REPO_DIR/.mvn" "$REPO_DIR/mvnw" "$WORK/baseline-$ENCODING/"
  (cd "$WORK/baseline-$ENCODING" && ./mvnw -B -q package -DskipTests ${build_args[@]+"${build_args[@]}"}) \
    >"$LOGS/build-baseline.log" 2>&1 || { tail -40 "$LOGS/build-baseline.log" >&2; die "baseline build failed"; }
  BASELINE_JAR=$WORK/baseline-$ENCODING/target/quarkus-app/quarkus-run.jar
  BASELINE_FROM=$(git -C "$REPO_DIR" rev-parse HEAD)
  [[ -n "$(git -C "$REPO_DIR" status --porcelain -- bench/baseline)" ]] && BASELINE_FROM="$BASELINE_FROM dirty (bench/baseline has changes)"
  [[ $ENCODING == gzip ]] && BASELINE_FROM="$BASELINE_FROM, built with ${build_args[*]}"
fi
MONGO_CP=$(mongo_classpath "$MONGO_SRC")
mint_token

start_redis "$REDIS_PORT"
start_mongo "$MONGO_PORT"
REDIS_PID=$(redis_pid "$REDIS_PORT")

start_baseline() {  # start_baseline PROCESS DB [-D…]
  local name=$1 db=$2
  shift 2
  (cd "$WORK" && exec "$JAVA" -Xmx1g -XX:+UseG1GC -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${HTTP[$name]}" \
     -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT" \
     -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT/$db" "$@" -jar "$BASELINE_JAR" >>"$LOGS/$name.log" 2>&1) &
  ROSTER_PID[$name]=$!
  PIDS+=("$!")
}
wait_baseline() {
  local name=$1
  for _ in $(seq 600); do curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${HTTP[$name]}/ceiling/json" 2>/dev/null && return 0
    kill -0 "${ROSTER_PID[$name]}" 2>/dev/null || { tail -30 "$LOGS/$name.log" >&2; die "$name exited at start"; }; sleep 0.2; done
  die "$name is not ready after 120 s"
}

PROCESSES=()
for s in "${SYSTEMS[@]}"; do p=$(process_of "$s"); [[ " ${PROCESSES[*]-} " == *" $p "* ]] || PROCESSES+=("$p"); done
[[ " ${PROCESSES[*]} " == *" nginx "* && " ${PROCESSES[*]} " != *" base "* ]] && PROCESSES+=(base)
for p in "${PROCESSES[@]}"; do
  case $p in
    roster-*)
      extra=()
      [[ $p == roster-near ]] && extra=(-Droster.cache.near.enabled=true)
      start_roster "$p" "${JAR[$p]}" "${HTTP[$p]}" "${MGMT[$p]}" \
        -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT" \
        -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -Droster.cache.key-prefix="ab-$p" \
        -Droster.cache.caches.team-listing.ttl=1h ${extra[@]+"${extra[@]}"} ;;
    base) start_baseline base 1 -Dquarkus.redis.max-pool-size=32 -Dquarkus.redis.max-pool-waiting=1024 ;;
    base-default) start_baseline base-default 2 ;;
  esac
done
for p in "${PROCESSES[@]}"; do
  case $p in roster-*) wait_ready "$p" "${MGMT[$p]}" ;; base*) wait_baseline "$p" ;; esac
done
[[ " ${PROCESSES[*]} " == *" nginx "* ]] && start_nginx "$WORK/nginx" "${HTTP[nginx]}" "${HTTP[base]}"
log "up: ${PROCESSES[*]}"

# The team, loaded through the first Roster.
for p in "${PROCESSES[@]}"; do [[ $p == roster-* ]] && { LOADER=$p; break; }; done
width=$(( ${#MEMBERS} > 3 ? ${#MEMBERS} : 3 ))
lines=$(for ((i = 0; i < MEMBERS; i++)); do printf '{"name":"ab_%0*d","team":"%s","role":"dev"}\n' "$width" "$i" "$TEAM"; done)
curl -fsS -o /dev/null -H @"$WORK/auth.header" -H 'Content-Type: application/x-ndjson' --data-binary "$lines" \
  "http://127.0.0.1:${HTTP[$LOADER]}/members/bulk" || die "loading the team failed"

ROWS=$WORK/hits-rows.tsv
: >"$ROWS"
row() { local IFS=$'\t'; echo "$*" >>"$ROWS"; }
ACCEPT=()
[[ $ENCODING == gzip ]] && ACCEPT=(-H 'Accept-Encoding: gzip')

describe() {
  case $1 in
    roster-before|roster-after|roster-cache) echo "Roster ${COMMIT[$1]}, Redis-path hits (key prefix ab-$1)" ;;
    roster-near) echo "Roster ${COMMIT[$1]} with roster.cache.near.enabled=true (its near cache as configured by default in application.properties)" ;;
    baseline-body) echo "stock @CacheResult on Uni<String> (the body serialized once), quarkus-redis-cache, pool 32 (bench/baseline at $BASELINE_FROM)" ;;
    baseline-tuned) echo "stock @CacheResult on Uni<TeamListing> (the object), quarkus-redis-cache, pool 32" ;;
    baseline-default) echo "stock @CacheResult on Uni<TeamListing>, quarkus-redis-cache, default pool (6)" ;;
    baseline-caffeine) echo "stock @CacheResult on Uni<String>, quarkus-cache's Caffeine backend (in process, 1 h, no coherence across instances)" ;;
    nginx-body) echo "$("$NGINX" -v 2>&1 | sed 's/.*: //'): proxy_cache in front of baseline-body, 2 workers, proxy_cache_lock on, upstream keep-alive, no access log (config: nginx/nginx.conf in the work dir)" ;;
    ceiling-stream) echo "the listing's bytes made once and written from memory (Vert.x route of the baseline app)" ;;
    ceiling-gzip) echo "the same listing gzip-compressed once (deflate level 1, as Roster stores large bodies), written from memory with Content-Encoding: gzip" ;;
  esac
}

# Each system must answer the team from its cache, and the bytes it sends are recorded.
for s in "${SYSTEMS[@]}"; do
  url=$(url_of "$s")
  for _ in 1 2; do curl -fsS -o /dev/null --max-time 60 ${ACCEPT[@]+"${ACCEPT[@]}"} "$url" || die "$s does not answer $url"; done
  read -r status enc wire decoded sha hbytes <<<"$(response_signature "$url" "$ENCODING" "$LOGS/sig-$s")"
  case $s in
    roster-*) check="Cache-Status: $(response_header "$LOGS/sig-$s.headers" Cache-Status)"
              [[ $check == *hit* ]] || die "$s does not hit: $check" ;;
    baseline-body|baseline-tuned|baseline-default)
      db=$([[ $s == baseline-default ]] && echo 2 || echo 1)
      key=cache:$([[ $s == baseline-body ]] && echo members-body || echo members):$TEAM
      [[ $(redis-cli -p "$REDIS_PORT" -n "$db" exists "$key") == 1 ]] || die "$s left no Redis entry $key"
      check="Redis entry $key present (DB $db)" ;;
    nginx-body) check="X-Cache: $(response_header "$LOGS/sig-$s.headers" X-Cache)"
                [[ $check == *HIT* ]] || die "$s does not hit: $check" ;;
    baseline-caffeine) check="in-process entry (not visible from outside; Redis commands per request show none)" ;;
    *) check="bytes kept in memory after the first call" ;;
  esac
  log "$s: HTTP $status, Content-Encoding $enc, $wire body bytes ($decoded decoded), $hbytes header bytes; $check"
  [[ $status == 200 ]] || die "$s answered HTTP $status"
  row system "$s" "$(describe "$s")" "GET $(path_of "$s")" "$(process_of "$s")" "$check"
  row bytes "$s" "$status" "$enc" "$wire" "$decoded" "$sha" "$hbytes"
done

# wait_idle: until the system processes and Redis use less than ~10 % of a core (at most 30 s).
wait_idle() {
  local all=("$REDIS_PID") p deadline=$((SECONDS + 30)) a b
  for p in "${PROCESSES[@]}"; do [[ $p == nginx ]] && all+=($(nginx_pids)) || all+=("${ROSTER_PID[$p]}"); done
  while ((SECONDS < deadline)); do
    a=$(cpu_ticks "${all[@]}"); sleep 0.5; b=$(cpu_ticks "${all[@]}")
    (((b - a) * 100 < 5 * CLK_TCK)) && return 0
  done
  log "  (still busy after 30 s; measuring anyway)"
}

# measure SYSTEM SECONDS ROUND POSITION: one wrk window; ROUND 0 is the warm-up (not recorded).
measure() {
  local s=$1 secs=$2 round=$3 pos=$4 file pids a b ra rb cmds rps p50 p99 errors requests bytes
  file=$LOGS/wrk-$s-r$round.txt
  read -r -a pids <<<"$(pids_of "$s" | tr '\n' ' ')"
  redis_resetstat "$REDIS_PORT"
  a=$(cpu_ticks "${pids[@]}"); ra=$(cpu_ticks "$REDIS_PID")
  timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency --timeout 10s \
    -s "$WRK_BYTES_SCRIPT" ${ACCEPT[@]+"${ACCEPT[@]}"} "$(url_of "$s")" >"$file" 2>&1 || log "  (wrk exited with an error, see $file)"
  b=$(cpu_ticks "${pids[@]}"); rb=$(cpu_ticks "$REDIS_PID")
  cmds=$(redis_commandstats "$REDIS_PORT")
  read -r rps p50 p99 errors requests bytes < <(parse_wrk "$file")
  if ((round == 0)); then log "  warm-up $s: $rps req/s"; else
    log "  round $round $s: $rps req/s, p99 $p99 ms, $errors errors, app $(ticks_to_us $((b - a))) µs and Redis $(ticks_to_us $((rb - ra))) µs of CPU for $requests requests"
    row run "$round" "$s" "$pos" "$rps" "$p50" "$p99" "$requests" "$errors" "$bytes" "$(ticks_to_us $((b - a)))" \
      "$(ticks_to_us $((rb - ra)))" "$cmds"
  fi
  wait_idle
}

# Background: what Redis is asked while nobody sends requests (the idle systems' own traffic).
wait_idle
redis_resetstat "$REDIS_PORT"; sleep 5
row note "Redis commands in 5 s with every system idle (their background traffic, counted in every window): $(redis_commandstats "$REDIS_PORT")"

log "common warm-up: ${WARMUP}s each"
for s in "${SYSTEMS[@]}"; do measure "$s" "$WARMUP" 0 0; done

# order_for ROUND: the listed order in odd rounds, reversed in even rounds; with more than two systems the list is
# also rotated by one place every two rounds, so that no system always runs first or last.
order_for() {
  local r=$1 n=${#SYSTEMS[@]} k=0 i list=()
  ((n > 2)) && k=$(( ((r - 1) / 2) % n ))
  for ((i = 0; i < n; i++)); do list+=("${SYSTEMS[(i + k) % n]}"); done
  if ((r % 2 == 0)); then for ((i = n - 1; i >= 0; i--)); do printf '%s ' "${list[i]}"; done; else printf '%s ' "${list[@]}"; fi
}
for ((r = 1; r <= ROUNDS; r++)); do
  read -r -a order <<<"$(order_for "$r")"
  row order "$r" "${order[@]}"
  log "round $r: ${order[*]}"
  pos=0
  for s in "${order[@]}"; do pos=$((pos + 1)); measure "$s" "$DURATION" "$r" "$pos"; done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

if [[ -n "$BEFORE" ]]; then
  name=ab-hits; REFS=(roster-before)
elif [[ -n "$AGAINST" ]]; then
  name=ab-hits-$AGAINST; REFS=("$AGAINST")
else
  name=ab-hits-compare; REFS=()
  ceiling=ceiling-stream; [[ $ENCODING == gzip ]] && ceiling=ceiling-gzip   # the ceiling with Roster's bytes
  for ref in baseline-body nginx-body "$ceiling"; do uses "$ref" && REFS+=("$ref"); done
  ((${#REFS[@]})) || REFS=("${SYSTEMS[0]}")
fi
((MEMBERS != 100)) && name="$name-m$MEMBERS"
[[ $ENCODING == gzip ]] && name="$name-gzip"
for ref in "${REFS[@]}"; do row reference "$ref"; done
row meta "command" "\`$COMMAND_LINE\`"
row meta "date" "$(date -u '+%Y-%m-%d %H:%M UTC')"
row meta "Roster commit" "$ROSTER_COMMITS"
row meta "bench checkout" "$(git -C "$REPO_DIR" rev-parse HEAD)$([[ -n "$(git -C "$REPO_DIR" status --porcelain -- bench ':!bench/results')" ]] && echo " dirty (bench/ has changes)")"
row meta "machine" "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory, shared by every system, Redis, the MongoDB server and wrk; load average $LOAD_BEFORE before, $LOAD_END after"
row meta "JVM" "$("$JAVA" -version 2>&1 | head -1), -Xmx1g -XX:+UseG1GC for every Java system"
row meta "servers" "$(redis-server --version | awk '{print $1, $3}') (every Redis system: Roster DB 0 with a key prefix per system, the stock app DB 1, baseline-default DB 2); mongo-java-server 1.47.0"
row meta "request" "GET of team $TEAM ($MEMBERS members), $([[ $ENCODING == gzip ]] && echo "every request sends Accept-Encoding: gzip" || echo "no Accept-Encoding")"
row meta "load" "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency; one common ${WARMUP}s warm-up of every system, then $ROUNDS round(s), each measuring every system once (order below); the servers are let go idle between windows"
row meta "CPU" "utime + stime from /proc/<pid>/stat (every thread) over each measured window, divided by the window's requests; clock ticks of 1/$CLK_TCK s, so a window's CPU is known to $((1000 / CLK_TCK)) ms. App: the system's own process (one JVM; nginx-body: the nginx master and workers, not the idle upstream JVM; the baseline's routes share one JVM, measured one at a time). Redis: the redis-server process, whoever asked"
row meta "Redis commands" "CONFIG RESETSTAT before each window, INFO commandstats after it, per command calls ÷ the window's requests (config and info left out)"
row meta "gzip tolerance" "$GZIP_TOLERANCE"
row meta "rounds" "$ROUNDS"
row meta "work" "logs, wrk output, nginx config: $WORK"
mkdir -p "$RESULTS_DIR"
if ((ROUNDS < 5)); then report=$RESULTS_DIR/$name-trial-$STAMP.md
elif ((COMPARE)); then report=$RESULTS_DIR/$name-$STAMP.md
else report=$RESULTS_DIR/$name-latest.md; fi
cp "$ROWS" "$WORK/hits-rows-$STAMP.tsv"
"$JAVA" "$BENCH_DIR/tools/HitsReport.java" "$ROWS" "$report" || die "report failed (rows in $ROWS)"
((COMPARE && ROUNDS >= 5)) && cp "$report" "$RESULTS_DIR/$name-latest.md"
cat "$report"
log "results: $report (raw rows: $WORK/hits-rows-$STAMP.tsv)"
