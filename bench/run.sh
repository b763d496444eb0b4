#!/usr/bin/env bash
# Roster benchmark suite: one command that installs its tools, builds Roster and the baseline app, starts a
# MongoDB wire-protocol server and Redis, loads data, runs every workload against every system in the same run,
# and writes bench/results/<timestamp>.md, latest.md and latest.svg. Options: bench/run.sh --help, bench/README.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/run.sh${*:+ $*}"

# ------------------------------------------------------------------------------------------------ options
MODE=full
MEMBERS=1000000
DURATION=15
WARMUP=5
THREADS=2
CONNECTIONS=32
MIX_SECONDS=15
MIX_CLIENTS=16
BIG_CLIENTS=4
HEAP=2g
PORT_BASE=18400
WORK=${TMPDIR:-/tmp}/roster-bench
RESULTS_DIR=$BENCH_DIR/results
ROSTER_JAR=
INSTALL=1
BIG_FIRST=0
NEAR=1
WORKLOADS=wrk,mix,big

usage() {
  cat <<'EOF'
Usage: bench/run.sh [options]

  --quick               short run: 100,000-member big team, 5 s wrk runs, 2 s warm-ups (under ~8 min)
  --members N           members of the big team ALPHA (default 1000000; --quick: 100000)
  --duration S          seconds per measured wrk run (default 15; --quick: 5)
  --warmup S            seconds of wrk warm-up before each measured run, and of the mix (default 5; --quick: 2)
  --connections N       wrk connections (default 32); --threads N: wrk threads (default 2)
  --mix-seconds S       seconds of the measured write-heavy mix per system (default 15; --quick: 5)
  --mix-clients N       client threads of the mix (default 16)
  --big-clients N       concurrent clients of the "several clients at once" big-team run (default 4)
  --heap SIZE           -Xmx of every system under test (default 2g)
  --port-base P         first of the ports used on 127.0.0.1 (default 18400; uses P .. P+51)
  --work DIR            build and scratch directory (default ${TMPDIR:-/tmp}/roster-bench)
  --results DIR         where the results go (default bench/results)
  --roster-jar PATH     use this prebuilt target/quarkus-app/quarkus-run.jar instead of building Roster
  --big-first           load the big team before the wrk and mix workloads (see README: slows every
                        uncached read, because mongo-java-server scans the whole collection)
  --workloads LIST      which workloads to run, comma-separated, of wrk,mix,big (default all three)
  --no-near             leave out roster-near (Roster with its near cache on), e.g. for a Roster without one
  --no-install          do not apt-get install missing tools
  -h, --help            this text
EOF
}

for arg in "$@"; do
  if [[ "$arg" == --quick ]]; then
    MODE=quick MEMBERS=100000 DURATION=5 WARMUP=2 MIX_SECONDS=5
  fi
done
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) shift ;;
    --members) MEMBERS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --mix-seconds) MIX_SECONDS=$2; shift 2 ;;
    --mix-clients) MIX_CLIENTS=$2; shift 2 ;;
    --big-clients) BIG_CLIENTS=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --roster-jar) ROSTER_JAR=$2; shift 2 ;;
    --big-first) BIG_FIRST=1; shift ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --no-near) NEAR=0; shift ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

for w in ${WORKLOADS//,/ }; do
  [[ $w == wrk || $w == mix || $w == big ]] || { echo "run.sh: unknown workload $w" >&2; exit 2; }
done
wants() { [[ ",$WORKLOADS," == *",$1,"* ]]; }
mkdir -p "$WORK" "$RESULTS_DIR"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
ROWS=$WORK/rows.tsv
: > "$ROWS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
STARTED=$SECONDS

log() { printf '[%4ds] %s\n' "$((SECONDS - STARTED))" "$*"; }
die() { echo "run.sh: $*" >&2; exit 1; }
row() { local IFS=$'\t'; echo "$*" >> "$ROWS"; }

# ------------------------------------------------------------------------------------------------ cleanup
PIDS=()          # every background process this script started, stopped at exit
SERVER_PIDS=()   # the servers whose CPU use wait_idle watches
REDIS_PIDFILE=$WORK/redis.pid

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((${#PIDS[@]})); then
    log "stopping ${#PIDS[@]} processes"
    kill "${PIDS[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 15)) pid
    for pid in "${PIDS[@]}"; do
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    done
  fi
  if [[ -s "$REDIS_PIDFILE" ]]; then
    local redis_pid
    redis_pid=$(cat "$REDIS_PIDFILE")
    kill "$redis_pid" 2>/dev/null || true
    # wait for it: a Redis still writing its log made the next run's "rm -rf logs" fail
    for _ in $(seq 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$REDIS_PIDFILE"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------------------ tools
need_apt=()
for tool in wrk:wrk redis-server:redis-server redis-cli:redis-tools curl:curl; do
  command -v "${tool%%:*}" >/dev/null || need_apt+=("${tool#*:}")
done
if ((${#need_apt[@]})); then
  ((INSTALL)) || die "missing tools (${need_apt[*]}); install them or drop --no-install"
  log "installing ${need_apt[*]} with apt-get"
  apt-get update -qq >"$LOGS/apt.log" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >>"$LOGS/apt.log" 2>&1 \
    || die "apt-get install ${need_apt[*]} failed (see $LOGS/apt.log)"
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JDK_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
JSTAT=$JDK_BIN/jstat
JCMD=$JDK_BIN/jcmd
[[ -x "$JSTAT" && -x "$JCMD" ]] || die "jstat and jcmd are needed next to $JAVA (a full JDK)"

# ------------------------------------------------------------------------------------------------ ports
MONGO_PORT=$PORT_BASE
REDIS_PORT=$((PORT_BASE + 1))
declare -A HTTP_PORT=([roster-cache]=$((PORT_BASE + 10)) [roster-nocache]=$((PORT_BASE + 20))
                      [baseline-default]=$((PORT_BASE + 30)) [baseline-tuned]=$((PORT_BASE + 40))
                      [roster-near]=$((PORT_BASE + 50)))
declare -A MGMT_PORT=([roster-cache]=$((PORT_BASE + 11)) [roster-nocache]=$((PORT_BASE + 21))
                      [roster-near]=$((PORT_BASE + 51)))
declare -A SYS_PID=()
for port in "$MONGO_PORT" "$REDIS_PORT" "${HTTP_PORT[@]}" "${MGMT_PORT[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use; pick another --port-base"
  fi
done
url() { echo "http://127.0.0.1:${HTTP_PORT[$1]}"; }

# ------------------------------------------------------------------------------------------------ build
# Roster is built from a copy of this checkout (never in the checkout itself, whose target/ may be busy).
log "copying the checkout to $WORK/src"
mkdir -p "$WORK/src"
find "$WORK/src" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
tar -C "$REPO_DIR" --exclude=./target --exclude=./.git --exclude=./bench/results --exclude=./bench/work -cf - . \
  | tar -C "$WORK/src" -xf -
chmod +x "$WORK/src/mvnw"
if [[ -z "$ROSTER_JAR" ]]; then
  log "building Roster (./mvnw package -DskipTests; log: $LOGS/build-roster.log)"
  (cd "$WORK/src" && ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true) >"$LOGS/build-roster.log" 2>&1 \
    || { tail -40 "$LOGS/build-roster.log" >&2; die "Roster build failed"; }
  ROSTER_JAR=$WORK/src/target/quarkus-app/quarkus-run.jar
  ROSTER_FROM="built from this checkout"
else
  ROSTER_JAR=$(readlink -f "$ROSTER_JAR")
  ROSTER_FROM="prebuilt ${ROSTER_JAR#"$REPO_DIR"/}"
fi
[[ -f "$ROSTER_JAR" ]] || die "no Roster jar at $ROSTER_JAR"

log "resolving mongo-java-server's classpath from Roster's build"
(cd "$WORK/src" && ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$WORK/mongo.classpath" \
   -DincludeScope=runtime -DincludeGroupIds=de.bwaldvogel,io.netty,org.slf4j \
   -DexcludeArtifactIds=slf4j-jboss-logmanager) >"$LOGS/classpath.log" 2>&1 \
  || { tail -20 "$LOGS/classpath.log" >&2; die "could not resolve mongo-java-server"; }

log "building the baseline app (bench/baseline; log: $LOGS/build-baseline.log)"
mkdir -p "$WORK/baseline"
find "$WORK/baseline" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
cp -r "$BENCH_DIR/baseline/." "$WORK/baseline/"
cp -r "$WORK/src/.mvn" "$WORK/src/mvnw" "$WORK/baseline/"
(cd "$WORK/baseline" && ./mvnw -B -q package -DskipTests) >"$LOGS/build-baseline.log" 2>&1 \
  || { tail -40 "$LOGS/build-baseline.log" >&2; die "baseline build failed"; }
BASELINE_JAR=$WORK/baseline/target/quarkus-app/quarkus-run.jar

# ------------------------------------------------------------------------------------------------ token
# A prod-profile Roster answers writes only with a bearer JWT of group roster-writer (when the checkout has
# bin/mint-token.sh): mint one with a key pair made for this run; Roster verifies with its public half.
ROSTER_ENV=()
if [[ -x "$REPO_DIR/bin/mint-token.sh" ]]; then
  command -v openssl >/dev/null || die "openssl is needed by bin/mint-token.sh"
  rm -rf "$WORK/keys"
  ROSTER_TOKEN=$("$REPO_DIR/bin/mint-token.sh" "$WORK/keys" 7200 2>/dev/null) || die "bin/mint-token.sh failed"
  export ROSTER_TOKEN
  (umask 077 && printf 'Authorization: Bearer %s\n' "$ROSTER_TOKEN" >"$WORK/auth.header")
  ROSTER_ENV=(MP_JWT_VERIFY_PUBLICKEY_LOCATION="$WORK/keys/publicKey.pem")
  log "minted a roster-writer token for the load and the mix (key pair in $WORK/keys)"
fi

# ------------------------------------------------------------------------------------------------ servers
log "starting Redis on 127.0.0.1:$REDIS_PORT"
redis-server --daemonize yes --pidfile "$REDIS_PIDFILE" --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
  --appendonly no --dir "$WORK" --logfile "$LOGS/redis.log" >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping >/dev/null || die "Redis did not start (see $LOGS/redis.log)"
SERVER_PIDS+=("$(cat "$REDIS_PIDFILE")")

log "starting the MongoDB wire-protocol server (mongo-java-server) on 127.0.0.1:$MONGO_PORT"
(cd "$WORK" && exec "$JAVA" -Xmx6g -cp "$(cat "$WORK/mongo.classpath")" "$BENCH_DIR/servers/MongoWire.java" \
   "$MONGO_PORT" >"$LOGS/mongo.log" 2>&1) &
MONGO_PID=$!
PIDS+=("$MONGO_PID")
SERVER_PIDS+=("$MONGO_PID")
for _ in $(seq 300); do grep -q listening "$LOGS/mongo.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$LOGS/mongo.log" || die "mongo-java-server did not start (see $LOGS/mongo.log)"

MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
COMMON_JVM=(-Xmx"$HEAP" -XX:+UseG1GC)

# start_system NAME: starts a system under test in the background, GC-logged, cwd = the work dir.
start_system() {
  local name=$1 jar args=()
  case $name in
    roster-cache|roster-nocache|roster-near)
      jar=$ROSTER_JAR
      args=(-Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="${MGMT_PORT[$name]}"
            -Dquarkus.redis.hosts="$REDIS_URL/0" -Droster.cache.key-prefix="bench-$name")
      # Cache off: the master switch, and each cache's own switch too (the master switch alone was ignored
      # by some Roster versions, which then measured the cache twice).
      [[ $name == roster-nocache ]] && args+=(-Droster.cache.enabled=false
        -Droster.cache.caches.team-listing.enabled=false -Droster.cache.caches.team-page.enabled=false
        -Droster.cache.caches.member.enabled=false -Droster.cache.caches.teams.enabled=false)
      [[ $name == roster-near ]] && args+=(-Droster.cache.near.enabled=true)
      ;;
    baseline-default)
      jar=$BASELINE_JAR
      args=(-Dquarkus.redis.hosts="$REDIS_URL/1") ;;
    baseline-tuned)
      jar=$BASELINE_JAR
      args=(-Dquarkus.redis.hosts="$REDIS_URL/2" -Dquarkus.redis.max-pool-size=32 -Dquarkus.redis.max-pool-waiting=1024) ;;
    *) die "unknown system $name" ;;
  esac
  local env=()
  [[ $name == roster-* ]] && env=(${ROSTER_ENV[@]+"${ROSTER_ENV[@]}"})
  (cd "$WORK" && exec env ${env[@]+"${env[@]}"} "$JAVA" "${COMMON_JVM[@]}" -Xlog:gc:file="$LOGS/gc-$name.log" \
     -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${HTTP_PORT[$name]}" \
     -Dquarkus.mongodb.connection-string="$MONGO_URL" "${args[@]}" -jar "$jar" >>"$LOGS/$name.log" 2>&1) &
  SYS_PID[$name]=$!
  PIDS+=("$!")
  SERVER_PIDS+=("$!")
}

# wait_ready NAME: Roster's readiness check, or the baseline's constant endpoint, within 120 s.
wait_ready() {
  local name=$1 probe
  if [[ $name == roster-* ]]; then probe="http://127.0.0.1:${MGMT_PORT[$name]}/q/health/ready"
  else probe="$(url "$name")/ceiling/json"; fi
  for _ in $(seq 600); do
    curl -fsS -o /dev/null "$probe" 2>/dev/null && return 0
    kill -0 "${SYS_PID[$name]}" 2>/dev/null || { tail -30 "$LOGS/$name.log" >&2; die "$name exited at start"; }
    sleep 0.2
  done
  tail -30 "$LOGS/$name.log" >&2
  die "$name is not ready after 120 s"
}

# restart_system NAME: stops a system that stopped answering and starts it afresh.
restart_system() {
  local name=$1 pid=${SYS_PID[$1]}
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  start_system "$name"
  wait_ready "$name"
  [[ $name == baseline-tuned ]] && SYS_PID[ceiling-stream]=${SYS_PID[baseline-tuned]}
  return 0
}

if ((NEAR)) && [[ -f "$WORK/src/src/main/java/dev/roster/cache/RosterCacheConfig.java" ]] \
   && ! grep -q 'near()' "$WORK/src/src/main/java/dev/roster/cache/RosterCacheConfig.java"; then
  log "this Roster has no near cache: leaving out roster-near"
  NEAR=0
fi
SYSTEMS=(roster-cache)
((NEAR)) && SYSTEMS+=(roster-near)
SYSTEMS+=(roster-nocache baseline-default baseline-tuned)
ROSTERS=(roster-cache)
((NEAR)) && ROSTERS+=(roster-near)
ROSTERS+=(roster-nocache)

log "starting ${SYSTEMS[*]}"
for name in "${SYSTEMS[@]}"; do
  start_system "$name"
done
for name in "${SYSTEMS[@]}"; do
  wait_ready "$name"
done
SYS_PID[ceiling-stream]=${SYS_PID[baseline-tuned]}   # the ceilings are routes of the tuned baseline
log "all systems are up"

# ------------------------------------------------------------------------------------------------ helpers
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# wait_idle: lets the servers finish leftover work (e.g. queued uncached reads) before the next measurement.
wait_idle() {
  local deadline=$((SECONDS + 60)) a b
  while ((SECONDS < deadline)); do
    a=$(cpu_ticks "${SERVER_PIDS[@]}"); sleep 0.5; b=$(cpu_ticks "${SERVER_PIDS[@]}")
    ((b - a < 10)) && return 0
  done
  log "  (servers still busy after 60 s; measuring anyway)"
}

redis_commands() { redis-cli -p "$REDIS_PORT" info stats | awk -F: '/^total_commands_processed/ {print $2+0}'; }

# parse_wrk FILE: "req/s p50_ms p99_ms errors requests"
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000;
                     if (v ~ /s$/) return v * 1000; return v + 0 }
    /^ *50%/ { p50 = ms($2) } /^ *99%/ { p99 = ms($2) }
    / requests in / { req = $1 }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx/ { err += $5 }
    /^Requests\/sec/ { rps = $2 }
    END { printf "%s %s %s %d %s\n", (rps == "" ? "-" : rps), (p50 == "" ? "-" : p50), (p99 == "" ? "-" : p99), err, (req == "" ? 0 : req) }
  ' "$1"
}

# expect_count URL N: fails unless the listing at URL answers 200 with "count":N.
expect_count() {
  local body
  curl -fsS --max-time 120 -o "$WORK/probe.json" "$1" || die "GET $1 failed"
  body=$(head -c 200 "$WORK/probe.json")
  [[ "$body" == *"\"count\":$2,"* ]] || die "GET $1 answered ${body:0:120}…, expected count $2"
}

# run_wrk LABEL SYSTEM URL_PATH BASE_URL: one priming call, a warm-up, then the measured wrk run.
run_wrk() {
  local label=$1 system=$2 path=$3 base=$4 file before after rps p50 p99 errors requests per status how_extra
  file=$LOGS/wrk-$system-${path//\//_}.txt
  log "  wrk $label on $system: GET $path"
  if ! curl -fsS -o /dev/null --max-time 30 "$base$path"; then
    log "    $system gave no answer to GET $path within 30 s: restarting it (see the notes)"
    row note "$system stopped answering GET $path (no response within 30 s) after the previous run; it was restarted before this measurement. See $system.log in the work directory."
    restart_system "$([[ $system == ceiling-* ]] && echo baseline-tuned || echo "$system")"
    curl -fsS -o /dev/null --max-time 30 "$base$path" || {
      row wrk "$label" "$system" - - - "$CONNECTIONS" - "no answer within 30 s even after a restart: not measured"
      return 0; }
  fi
  timeout $((WARMUP + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s "$base$path" >/dev/null 2>&1 || true
  if [[ $system == roster-* ]]; then
    status=$(curl -s -D - -o /dev/null --max-time 30 "$base$path" | tr -d '\r' \
               | awk 'tolower($1) == "cache-status:" { sub(/^[^:]*: */, ""); print }')
    how_extra="; Cache-Status of a call after priming: ${status:-none}"
  else
    how_extra=""
  fi
  wait_idle
  before=$(redis_commands)
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s \
    "$base$path" >"$file" 2>&1 || log "  (wrk exited with an error, see $file)"
  after=$(redis_commands)
  read -r rps p50 p99 errors requests < <(parse_wrk "$file")
  per=$(awk -v d=$((after - before)) -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", d / n; else print "-" }')
  log "    $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors, $per Redis commands per request"
  row wrk "$label" "$system" "$rps" "$p50" "$p99" "$errors" "$per" "GET $path$how_extra"
  wait_idle
}

# heap_used_mb FILE: "first peak" of the heap used (S0U+S1U+EU+OU) in a jstat -gc sample file, in MB.
heap_used_mb() {
  awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
       NF > 5 && $1 ~ /^[0-9.]+$/ { u = $(c["S0U"]) + $(c["S1U"]) + $(c["EU"]) + $(c["OU"]);
                if (first == "") first = u; if (u > max) max = u }
       END { if (first == "") print "- -"; else printf "%.0f %.0f\n", first / 1024, max / 1024 }' "$1"
}

# max_after_gc_mb GCLOG FROM_LINE: the largest heap occupancy right after a GC logged after FROM_LINE.
max_after_gc_mb() {
  tail -n +"$(($2 + 1))" "$1" | { grep -o '[0-9]*[KMG]->[0-9]*[KMG]' || true; } \
    | awk -F'->' '{ v = $2; u = substr(v, length(v)); v = v + 0; if (u == "K") v /= 1024; if (u == "G") v *= 1024;
                    if (v > m) m = v; n++ } END { if (n) printf "%.0f\n", m; else print "-" }'
}

# measure_big SYSTEM CALL URL CLIENTS HOW: times CLIENTS concurrent GETs of URL while sampling the server's heap.
measure_big() {
  local system=$1 call=$2 target=$3 clients=$4 how=$5 pid gclog from jfile jpid t0 t1 i status bytes ttfb \
    heap_start heap_peak after_gc seconds
  pid=${SYS_PID[$system]}
  gclog=$LOGS/gc-$([[ $system == ceiling-* ]] && echo baseline-tuned || echo "$system").log
  "$JCMD" "$pid" GC.run >/dev/null 2>&1 || true   # start from the live set, so growth is the request's own
  sleep 0.3
  from=$(wc -l <"$gclog")
  jfile=$LOGS/jstat-$system-$call.txt
  : >"$jfile"
  "$JSTAT" -gc "$pid" 100 >"$jfile" 2>/dev/null &
  jpid=$!
  PIDS+=("$jpid")
  for _ in $(seq 50); do [[ $(wc -l <"$jfile") -ge 2 ]] && break; sleep 0.1; done
  rm -f "$LOGS"/big-"$system"-"$call"-*.txt
  local cpids=()
  t0=$(date +%s.%N)
  for ((i = 0; i < clients; i++)); do
    timeout 600 curl -s -o /dev/null -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' \
      "$target" >"$LOGS/big-$system-$call-$i.txt" 2>&1 &
    cpids+=("$!")
  done
  for i in "${cpids[@]}"; do wait "$i" || true; done
  t1=$(date +%s.%N)
  sleep 0.3
  kill "$jpid" 2>/dev/null || true
  wait "$jpid" 2>/dev/null || true
  read -r heap_start heap_peak < <(heap_used_mb "$jfile")
  after_gc=$(max_after_gc_mb "$gclog" "$from")
  read -r status ttfb seconds bytes < <(cat "$LOGS"/big-"$system"-"$call"-*.txt | awk -v wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" '
      { if ($1 != "200") bad = $1; if ($2 > ttfb) ttfb = $2; bytes += $4; n++ }
      END { printf "%s %s %s %d\n", (bad == "" && n ? "200" : (bad == "" ? "none" : bad)), ttfb, (n == 1 ? $3 : wall), bytes }')
  log "  $system $call: $seconds s, first byte $ttfb s, $bytes bytes, HTTP $status, heap $heap_start → $heap_peak MB, max after GC $after_gc MB"
  row big "$system" "$call" "$seconds" "$ttfb" "$bytes" "$status" "$heap_start" "$heap_peak" "$after_gc" "$how"
}

load_big_team() {
  log "loading the big team: ALPHA with $MEMBERS members (through roster-cache's POST /members/bulk)"
  "$BENCH_DIR/load-data.sh" --url "$(url roster-cache)" --team ALPHA --members "$MEMBERS" --prefix user_
  ALPHA_LOADED=1
}

# ------------------------------------------------------------------------------------------------ data
log "loading the small teams through roster-cache's POST /members/bulk"
"$BENCH_DIR/load-data.sh" --url "$(url roster-cache)" --team SMALL --members 100 --prefix small_
"$BENCH_DIR/load-data.sh" --url "$(url roster-cache)" --team MEDIUM --members 1000 --prefix medium_
"$BENCH_DIR/load-data.sh" --url "$(url roster-cache)" --team MIX --members 100 --prefix mix_
ALPHA_LOADED=0
((BIG_FIRST)) && load_big_team
for name in "${SYSTEMS[@]}"; do
  expect_count "$(url "$name")/teams/SMALL/members" 100
  expect_count "$(url "$name")/teams/MEDIUM/members" 1000
done
log "every system answers SMALL with 100 and MEDIUM with 1000 members"
nocache_status=$(curl -s -D - -o /dev/null "$(url roster-nocache)/teams/SMALL/members" | tr -d '\r' \
                   | awk 'tolower($1) == "cache-status:" { sub(/^[^:]*: */, ""); print }')
if [[ "$nocache_status" != *bypass* ]]; then
  log "WARNING: roster-nocache answers Cache-Status: ${nocache_status:-none} (expected fwd=bypass)"
  row note "roster-nocache did not bypass its cache (Cache-Status: ${nocache_status:-none}): its rows measure a cache."
fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------------------ wrk
if wants wrk; then
log "throughput: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per system and team"
for team in SMALL MEDIUM; do
  if [[ $team == SMALL ]]; then label="team of 100"; else label="team of 1,000"; fi
  for system in "${SYSTEMS[@]}"; do
    run_wrk "$label" "$system" "/teams/$team/members" "$(url "$system")"
  done
  # The same bytes from memory (made at the first call): the most any cache could do for this team.
  run_wrk "$label" ceiling-stream "/ceiling/teams/$team/members" "$(url baseline-tuned)"
  if [[ $team == SMALL ]]; then
    run_wrk "$label" ceiling-json /ceiling/json "$(url baseline-tuned)"
  fi
done
fi

# ------------------------------------------------------------------------------------------------ mix
if wants mix; then
log "write-heavy mix: 10% PUT /members/{name}, 45% GET /teams/MIX/members, 45% GET /members/{name}"
for system in "${ROSTERS[@]}"; do
  out=$(timeout $((MIX_SECONDS + WARMUP + 180)) "$JAVA" "$BENCH_DIR/tools/Mix.java" --url "$(url "$system")" \
          --team MIX --prefix mix_ --members 100 --clients "$MIX_CLIENTS" --seconds "$MIX_SECONDS" \
          --warmup "$WARMUP" --write-pct 10 2>"$LOGS/mix-$system.err") || die "mix against $system failed: $out"
  log "  $system: $out"
  declare -A m=()
  for kv in $out; do m[${kv%%=*}]=${kv#*=}; done
  row mix "$system" "${m[rps]}" "${m[p50_ms]}" "${m[p99_ms]}" "${m[read_p50_ms]}" "${m[write_p50_ms]}" \
    "${m[reads]}" "${m[writes]}" "${m[checked]}" "${m[stale]}" "${m[errors]}" \
    "$MIX_CLIENTS clients, ${MIX_SECONDS} s after ${WARMUP} s warm-up"
  if [[ -s "$LOGS/mix-$system.err" ]]; then
    row note "mix on $system reported: $(head -3 "$LOGS/mix-$system.err" | tr '\n\t' '  ')"
  fi
  unset m
  wait_idle
done
fi

# ------------------------------------------------------------------------------------------------ big team
if wants big; then
((ALPHA_LOADED)) || load_big_team
BIG=/teams/ALPHA/members
log "the big team (ALPHA, $MEMBERS members): cold, warm and concurrent listings"
measure_big roster-cache cold "$(url roster-cache)$BIG" 1 "first call: MongoDB read, cache filled (JIT cold too)"
measure_big roster-cache warm-1 "$(url roster-cache)$BIG" 1 "hit: chunks streamed from Redis"
measure_big roster-cache warm-2 "$(url roster-cache)$BIG" 1 "hit: chunks streamed from Redis"
measure_big roster-cache "warm-x$BIG_CLIENTS" "$(url roster-cache)$BIG" "$BIG_CLIENTS" \
  "$BIG_CLIENTS clients at once; time = until the last finished, bytes = total"
# A write to the team invalidates its listing: the next call is a miss with a warm JIT.
curl -fsS -o /dev/null --max-time 60 -X PUT -H 'Content-Type: application/json' \
  ${ROSTER_TOKEN:+-H "@$WORK/auth.header"} -d '{"team":"ALPHA","role":"MEMBER"}' "$(url roster-cache)/members/user_0" \
  || die "PUT /members/user_0 failed"
measure_big roster-cache miss "$(url roster-cache)$BIG" 1 "first call after a PUT to one member (listing invalidated), JIT warm"
wait_idle
measure_big baseline-tuned cold "$(url baseline-tuned)$BIG" 1 "first call: MongoDB read, one JSON value SET in Redis"
measure_big baseline-tuned warm-1 "$(url baseline-tuned)$BIG" 1 "hit: one Redis GET, decoded, re-encoded"
measure_big baseline-tuned warm-2 "$(url baseline-tuned)$BIG" 1 "hit: one Redis GET, decoded, re-encoded"
redis-cli -p "$REDIS_PORT" -n 2 del cache:members:ALPHA >/dev/null
measure_big baseline-tuned miss "$(url baseline-tuned)$BIG" 1 "after DEL of its Redis entry (as at expiry), JIT warm"
wait_idle
measure_big ceiling-stream cold "$(url baseline-tuned)/ceiling$BIG" 1 "GET /ceiling$BIG: reads MongoDB, keeps the bytes in memory"
measure_big ceiling-stream warm-1 "$(url baseline-tuned)/ceiling$BIG" 1 "the same bytes written from memory"
measure_big ceiling-stream warm-2 "$(url baseline-tuned)/ceiling$BIG" 1 "the same bytes written from memory"
wait_idle
measure_big roster-nocache cold "$(url roster-nocache)$BIG" 1 "cache off: MongoDB read (JIT cold)"
measure_big roster-nocache warm-1 "$(url roster-nocache)$BIG" 1 "cache off: MongoDB read again (JIT warm)"
fi

# ------------------------------------------------------------------------------------------------ report
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$REPO_DIR" status --porcelain -- src pom.xml 2>/dev/null | wc -l)
((dirty)) && commit="$commit + $dirty uncommitted changes in src/ or pom.xml"
row meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
row meta command "$COMMAND_LINE"
row meta mode "$MODE: big team ALPHA of $MEMBERS members; wrk ${DURATION} s runs after ${WARMUP} s warm-up; mix ${MIX_SECONDS} s; workloads run: $WORKLOADS"
row meta "Roster" "$ROSTER_FROM; checkout $commit"
row meta "systems" "roster-cache (Redis DB 0, key prefix bench-roster-cache)$( ((NEAR)) && echo ", roster-near (the same with roster.cache.near.enabled=true)"), roster-nocache (roster.cache.enabled=false and every cache's enabled=false), baseline-default (stock quarkus-redis-cache, default Redis pool, DB 1), baseline-tuned (max-pool-size=32, max-pool-waiting=1024, DB 2); the ceilings are routes of baseline-tuned"
row meta "JVM" "$("$JAVA" -version 2>&1 | head -1), -Xmx$HEAP -XX:+UseG1GC for every system"
row meta "servers" "mongo-java-server 1.47.0 (memory backend, -Xmx6g); $(redis-server --version | awk '{print $1, $3}')"
row meta "machine" "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load and systems share the cores"
row meta "load average" "$LOAD_START when the workloads started, $LOAD_END at the end (anything above ~0.5 beyond this bench's own load is other work on the machine: expect noise)"
if ((BIG_FIRST)); then
  row meta "order" "big team loaded before the wrk and mix workloads"
elif wants wrk || wants mix; then
  row meta "order" "wrk and mix ran before the big team was loaded (the collection held ~1,200 members)"
fi
row note "mongo-java-server scans the whole collection for every query (it ignores secondary indexes), so uncached reads are slower than on a real MongoDB, and more so once the big team is loaded; compare cached paths with each other and with the ceilings."
row method big "One or more curl clients GET /teams/ALPHA/members (ceiling-stream: /ceiling/teams/ALPHA/members) and time it; before each call the server gets a forced full GC (jcmd GC.run). Heap: 'before' is the heap used right after that GC (the live set), 'peak' the most used in jstat -gc samples every 100 ms (garbage included), 'max after a GC' the largest occupancy G1 logged (-Xlog:gc) after any collection during the call, i.e. what the call kept alive; '-' when no GC ran."
row method wrk "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency --timeout 10s, after one priming call and a ${WARMUP} s wrk warm-up, one system at a time, each after the servers went idle. Errors are socket errors plus non-2xx answers. Redis cmds/req is the INFO total_commands_processed delta over the run divided by its requests."
row method mix "java bench/tools/Mix.java: $MIX_CLIENTS client threads (JDK HttpClient, HTTP/1.1 keep-alive), each owning 1/$MIX_CLIENTS of team MIX's 100 members; per operation 10% PUT /members/{name} with a new role, 45% GET /teams/MIX/members, 45% GET /members/{name}. Every read is checked against the roles the client itself wrote and saw answered: one showing an older role is stale."
row note "ceiling-json: GET /ceiling/json on the tuned baseline, a constant 66-byte JSON from a Quarkus REST method; ceiling-stream: GET /ceiling/teams/ALPHA/members there, the listing's bytes kept in memory after the first call and written in 64 KiB chunks."

TS_MD=$RESULTS_DIR/$STAMP.md
TS_SVG=$RESULTS_DIR/$STAMP.svg
"$JAVA" "$BENCH_DIR/tools/Report.java" "$ROWS" "$TS_MD" "$TS_SVG" || die "report failed (rows in $ROWS)"
sed "s/($STAMP.svg)/(latest.svg)/" "$TS_MD" >"$RESULTS_DIR/latest.md"
cp "$TS_SVG" "$RESULTS_DIR/latest.svg"
cp "$ROWS" "$RESULTS_DIR/$STAMP.tsv"   # the raw rows: java bench/tools/Report.java X.tsv X.md X.svg redraws them
echo
cat "$RESULTS_DIR/latest.md"
log "results: $TS_MD (raw rows: $STAMP.tsv), $RESULTS_DIR/latest.md, $RESULTS_DIR/latest.svg (logs in $LOGS); total $((SECONDS - STARTED)) s"
