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
NGINX_ON=1
WORKLOADS=wrk,mix,big
ROUNDS=3
ROSTER_COMMIT=
BIG_TIMEOUT=600

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
  --big-timeout S       seconds a big-team client waits before it gives up (default 600)
  --heap SIZE           -Xmx of every system under test (default 2g)
  --port-base P         first of the ports used on 127.0.0.1 (default 18400; uses P .. P+60)
  --work DIR            build and scratch directory (default ${TMPDIR:-/tmp}/roster-bench)
  --results DIR         where the results go (default bench/results)
  --roster-jar PATH     use this prebuilt target/quarkus-app/quarkus-run.jar instead of building Roster
  --roster-commit TEXT  the commit the prebuilt jar was built from (required with --roster-jar unless the jar
                        carries a git.properties), e.g. "$(git rev-parse HEAD)" or "<sha> dirty"
  --rounds N            measured rounds per comparison, in alternating order of the systems (default 3)
  --big-first           load the big team before the wrk and mix workloads (see README: slows every
                        uncached read, because mongo-java-server scans the whole collection)
  --workloads LIST      which workloads to run, comma-separated, of wrk,mix,big (default all three)
  --no-near             leave out roster-near (Roster with its near cache on), e.g. for a Roster without one
  --no-nginx            leave out nginx-body (nginx proxy_cache in front of baseline-body; installed with
                        apt-get when missing)
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
    --roster-commit) ROSTER_COMMIT=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --big-timeout) BIG_TIMEOUT=$2; shift 2 ;;
    --big-first) BIG_FIRST=1; shift ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --no-near) NEAR=0; shift ;;
    --no-nginx) NGINX_ON=0; shift ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

for w in ${WORKLOADS//,/ }; do
  [[ $w == wrk || $w == mix || $w == big ]] || { echo "run.sh: unknown workload $w" >&2; exit 2; }
done
wants() { [[ ",$WORKLOADS," == *",$1,"* ]]; }
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && ((ROUNDS >= 1)) || { echo "run.sh: --rounds needs a positive number" >&2; exit 2; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
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
# shellcheck source=lib/compare.sh
source "$BENCH_DIR/lib/compare.sh"   # nginx, CPU ticks, Redis commandstats, response bytes, parse_wrk

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
if ((NGINX_ON)); then
  ensure_nginx "$INSTALL" || die "nginx-body needs nginx (see above); or leave it out with --no-nginx"
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
                      [roster-near]=$((PORT_BASE + 50)) [baseline-body]=$((PORT_BASE + 60))
                      [nginx-body]=$((PORT_BASE + 70)))
declare -A MGMT_PORT=([roster-cache]=$((PORT_BASE + 11)) [roster-nocache]=$((PORT_BASE + 21))
                      [roster-near]=$((PORT_BASE + 51)))
declare -A SYS_PID=()
for port in "$MONGO_PORT" "$REDIS_PORT" "${HTTP_PORT[@]}" "${MGMT_PORT[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use; pick another --port-base"
  fi
done
url() { echo "http://127.0.0.1:${HTTP_PORT[$1]}"; }

# ------------------------------------------------------------------------------------------------ commit
# The commit Roster is built from: HEAD of this checkout, "dirty" when it has changes (results files aside).
# A prebuilt jar names its own commit only if it carries a git.properties; otherwise --roster-commit must.
CHECKOUT_COMMIT=
if [[ -z "$ROSTER_JAR" ]]; then
  CHECKOUT_COMMIT=$(git -C "$REPO_DIR" rev-parse HEAD 2>/dev/null) || die "not a git checkout: name the commit with --roster-jar and --roster-commit"
  changed=$(git -C "$REPO_DIR" status --porcelain -- . ':!bench/results' 2>/dev/null | wc -l)
  changed_src=$(git -C "$REPO_DIR" status --porcelain -- src pom.xml 2>/dev/null | wc -l)
  ((changed)) && CHECKOUT_COMMIT="$CHECKOUT_COMMIT dirty ($changed changed files, $changed_src of them in src/ or pom.xml)"
elif [[ -z "$ROSTER_COMMIT" ]]; then
  jar_props=$(for f in "$(dirname "$(readlink -f "$ROSTER_JAR")")"/app/*.jar; do
                unzip -p "$f" git.properties META-INF/git.properties 2>/dev/null || true; done)
  ROSTER_COMMIT=$(awk -F= '$1 == "git.commit.id" || $1 == "git.commit.id.full" { print $2; exit }' <<<"$jar_props")
  if [[ -n "$ROSTER_COMMIT" ]] && grep -q '^git.dirty=true' <<<"$jar_props"; then ROSTER_COMMIT="$ROSTER_COMMIT dirty"; fi
  [[ -n "$ROSTER_COMMIT" ]] || die "the jar does not say which commit it was built from: pass --roster-commit (e.g. \"\$(git -C <checkout> rev-parse HEAD)\", plus \" dirty\" if that checkout had changes)"
fi

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
  ROSTER_FROM="built by this run from the checkout"
else
  ROSTER_JAR=$(readlink -f "$ROSTER_JAR")
  ROSTER_FROM="prebuilt ${ROSTER_JAR#"$REPO_DIR"/}"
fi
[[ -f "$ROSTER_JAR" ]] || die "no Roster jar at $ROSTER_JAR"
ROSTER_COMMIT=${ROSTER_COMMIT:-$CHECKOUT_COMMIT}

log "resolving mongo-java-server's classpath from Roster's build"
(cd "$WORK/src" && ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$WORK/mongo.classpath" \
   -DincludeScope=compile -DincludeGroupIds=de.bwaldvogel,io.netty,org.slf4j \
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
            -Dquarkus.redis.hosts="$REDIS_URL/0" -Droster.cache.key-prefix="bench-$name"
            -Droster.cache.caches.team-listing.ttl=1h)
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
    baseline-body)
      jar=$BASELINE_JAR
      args=(-Dquarkus.redis.hosts="$REDIS_URL/3" -Dquarkus.redis.max-pool-size=32 -Dquarkus.redis.max-pool-waiting=1024) ;;
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
  [[ $name == baseline-tuned ]] && SYS_PID[ceiling-stream]=${SYS_PID[baseline-tuned]} SYS_PID[ceiling-gzip]=${SYS_PID[baseline-tuned]}
  [[ $name == baseline-body ]] && SYS_PID[baseline-caffeine]=${SYS_PID[baseline-body]}
  return 0
}

if ((NEAR)) && [[ -f "$WORK/src/src/main/java/dev/roster/cache/RosterCacheConfig.java" ]] \
   && ! grep -q 'near()' "$WORK/src/src/main/java/dev/roster/cache/RosterCacheConfig.java"; then
  log "this Roster has no near cache: leaving out roster-near"
  NEAR=0
fi
SYSTEMS=(roster-cache)
((NEAR)) && SYSTEMS+=(roster-near)
SYSTEMS+=(roster-nocache baseline-default baseline-tuned baseline-body)
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
SYS_PID[ceiling-gzip]=${SYS_PID[baseline-tuned]}
SYS_PID[baseline-caffeine]=${SYS_PID[baseline-body]} # stock Caffeine: a route of the body-cache baseline
if ((NGINX_ON)); then
  log "starting nginx (proxy_cache in front of baseline-body) on 127.0.0.1:${HTTP_PORT[nginx-body]}"
  start_nginx "$WORK/nginx" "${HTTP_PORT[nginx-body]}" "${HTTP_PORT[baseline-body]}"
  read -r -a nginx_all <<<"$(nginx_pids | tr '\n' ' ')"
  SERVER_PIDS+=("${nginx_all[@]}")
fi
REDIS_PID=$(cat "$REDIS_PIDFILE")
log "all systems are up"

# ------------------------------------------------------------------------------------------------ helpers

# wait_idle: lets the servers finish leftover work (e.g. queued uncached reads) before the next measurement.
wait_idle() {
  local deadline=$((SECONDS + 60)) a b
  while ((SECONDS < deadline)); do
    a=$(cpu_ticks "${SERVER_PIDS[@]}"); sleep 0.5; b=$(cpu_ticks "${SERVER_PIDS[@]}")
    ((b - a < 10)) && return 0
  done
  log "  (servers still busy after 60 s; measuring anyway)"
}

# pids_of SYSTEM: the processes whose CPU time counts as the system's (nginx-body: nginx's master and workers,
# not the idle upstream JVM).
pids_of() { if [[ $1 == nginx-body ]]; then nginx_pids; else echo "${SYS_PID[$(process_of "$1")]}"; fi; }


# expect_count URL N: fails unless the listing at URL answers 200 with "count":N.
expect_count() {
  local body
  curl -fsS --max-time 120 -o "$WORK/probe.json" "$1" || die "GET $1 failed"
  body=$(head -c 200 "$WORK/probe.json")
  [[ "$body" == *"\"count\":$2,"* ]] || die "GET $1 answered ${body:0:120}…, expected count $2"
}

# base_of SYSTEM: the base URL a system answers on (the ceilings are routes of the tuned baseline, stock Caffeine
# one of the body-cache baseline).
base_of() { case $1 in ceiling-*) url baseline-tuned ;; baseline-caffeine) url baseline-body ;; *) url "$1" ;; esac; }

# team_path SYSTEM TEAM: the route that lists TEAM on SYSTEM.
team_path() {
  case $1 in
    ceiling-stream) echo "/ceiling/teams/$2/members" ;;
    ceiling-gzip) echo "/ceiling/gzip/teams/$2/members" ;;
    ceiling-json) echo /ceiling/json ;;
    baseline-body) echo "/body/teams/$2/members" ;;
    baseline-caffeine) echo "/caffeine/teams/$2/members" ;;
    *) echo "/teams/$2/members" ;;
  esac
}

# process_of SYSTEM: the system whose JVM serves SYSTEM.
process_of() { case $1 in ceiling-*) echo baseline-tuned ;; baseline-caffeine|nginx-body) echo baseline-body ;; *) echo "$1" ;; esac; }

# order_for ROUND SYSTEM...: the systems in the given order in odd rounds, reversed in even rounds, so that
# over the rounds every system runs as often early as late (and right after each of its neighbours).
order_for() {
  local r=$1 i
  shift
  local list=("$@")
  if ((r % 2)); then echo "${list[*]}"; return; fi
  local out=()
  for ((i = ${#list[@]} - 1; i >= 0; i--)); do out+=("${list[i]}"); done
  echo "${out[*]}"
}

declare -A WRK_STATUS=()
# wrk_prime LABEL SYSTEM PATH: one priming call, a wrk warm-up (part of the common warm-up before the rounds), and
# the bytes the system sends for the request (a "bytes" row: the report compares only rows that send the same).
wrk_prime() {
  local label=$1 system=$2 path=$3 base status sig
  base=$(base_of "$system")
  log "  warm-up of $system: GET $path, ${WARMUP} s"
  curl -fsS -o /dev/null --max-time 120 "$base$path" || log "    $system gave no answer to GET $path"
  # what it sends, taken before the load (the stock default-pool baseline may stop answering after it)
  sig=$(response_signature "$base$path" identity "$LOGS/sig-$system-${path//\//_}")
  log "    $system sends: $sig (status, Content-Encoding, body bytes, decoded bytes, body SHA-256 prefix, header bytes)"
  row bytes "$label" "$system" $sig
  timeout $((WARMUP + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s "$base$path" >/dev/null 2>&1 || true
  if [[ $system == roster-* ]]; then
    status=$(curl -s -D - -o /dev/null --max-time 30 "$base$path" | tr -d '\r' \
               | awk 'tolower($1) == "cache-status:" { sub(/^[^:]*: */, ""); print }')
    WRK_STATUS[$system]="; Cache-Status of a call after the warm-up: ${status:-none}"
  elif [[ $system == nginx-body ]]; then
    status=$(curl -s -D - -o /dev/null --max-time 30 "$base$path" | tr -d '\r' \
               | awk 'tolower($1) == "x-cache:" { print $2 }')
    WRK_STATUS[$system]="; nginx's X-Cache of a call after the warm-up: ${status:-none}"
  fi
  wait_idle
}

# wrk_measure LABEL SYSTEM PATH ROUND: one measured wrk run (a system that stopped answering is restarted and
# warmed up again first, and the notes say so).
wrk_measure() {
  local label=$1 system=$2 path=$3 round=$4 base file rps p50 p99 errors requests bytes per pids a b ra rb cmds \
    app_us redis_us per_resp
  base=$(base_of "$system")
  file=$LOGS/wrk-$system-${path//\//_}-r$round.txt
  if ! curl -fsS -o /dev/null --max-time 30 "$base$path"; then
    log "    $system gave no answer to GET $path within 30 s: restarting it (see the notes)"
    row note "$system stopped answering GET $path (no response within 30 s) before round $round; it was restarted and warmed up again before this measurement. See $(process_of "$system").log in the work directory."
    restart_system "$(process_of "$system")"
    if ! curl -fsS -o /dev/null --max-time 30 "$base$path"; then
      row wrk "$label" "$system" - - - "$CONNECTIONS" - "no answer within 30 s even after a restart: not measured" "$round"
      return 0
    fi
    timeout $((WARMUP + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s "$base$path" >/dev/null 2>&1 || true
  fi
  read -r -a pids <<<"$(pids_of "$system" | tr '\n' ' ')"
  redis_resetstat "$REDIS_PORT"
  a=$(cpu_ticks "${pids[@]}"); ra=$(cpu_ticks "$REDIS_PID")
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s \
    -s "$WRK_BYTES_SCRIPT" "$base$path" >"$file" 2>&1 || log "  (wrk exited with an error, see $file)"
  b=$(cpu_ticks "${pids[@]}"); rb=$(cpu_ticks "$REDIS_PID")
  cmds=$(redis_commandstats "$REDIS_PORT")
  read -r rps p50 p99 errors requests bytes < <(parse_wrk "$file")
  # per request: Redis commands (all, and by name), CPU µs of the system's processes and of Redis, bytes read
  read -r per app_us redis_us per_resp cmds < <(awk -v n="$requests" -v c="$cmds" -v at=$((b - a)) -v rt=$((rb - ra)) \
      -v hz="$CLK_TCK" -v by="$bytes" 'BEGIN {
        if (n <= 0) { print "- - - - -"; exit }
        k = split(c == "-" ? "" : c, items, ","); total = 0; out = ""
        for (i = 1; i <= k; i++) { split(items[i], kv, "="); split(kv[2], cu, ":"); total += cu[1]
                                   out = out (out == "" ? "" : ",") kv[1] "=" sprintf("%.3f", cu[1] / n) }
        printf "%.2f %.1f %.1f %.0f %s\n", total / n, at * 1e6 / hz / n, rt * 1e6 / hz / n, by / n, (out == "" ? "-" : out) }')
  log "    round $round $system: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors, $per Redis commands, app $app_us µs and Redis $redis_us µs of CPU, $per_resp bytes per request"
  row wrk "$label" "$system" "$rps" "$p50" "$p99" "$errors" "$per" "GET $path${WRK_STATUS[$system]:-}" "$round" \
    "$app_us" "$redis_us" "$per_resp" "$cmds"
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

# measure_big SYSTEM CALL URL CLIENTS ENCODING ROUND HOW: times CLIENTS concurrent GETs of URL (ENCODING gzip:
# each sends Accept-Encoding: gzip) while sampling the server's heap. Records the status (or curl's exit code
# when a transfer broke), the bytes on the wire and how the answer was served (Content-Encoding, and Roster's
# Cache-Status). A system whose process died during the call is restarted, and the notes say so.
measure_big() {
  local system=$1 call=$2 target=$3 clients=$4 encoding=$5 round=$6 how=$7 pid gclog from jfile jpid t0 t1 i \
    status bytes ttfb heap_start heap_peak after_gc seconds served process ooms
  process=$(process_of "$system")
  pid=${SYS_PID[$process]}
  ooms=$(grep -c OutOfMemoryError "$LOGS/$process.log" 2>/dev/null || true); ooms=${ooms:-0}
  gclog=$LOGS/gc-$process.log
  "$JCMD" "$pid" GC.run >/dev/null 2>&1 || true   # start from the live set, so growth is the request's own
  sleep 0.3
  from=$(wc -l <"$gclog")
  jfile=$LOGS/jstat-$system-$call-r$round.txt
  : >"$jfile"
  "$JSTAT" -gc "$pid" 100 >"$jfile" 2>/dev/null &
  jpid=$!
  PIDS+=("$jpid")
  for _ in $(seq 50); do [[ $(wc -l <"$jfile") -ge 2 ]] && break; sleep 0.1; done
  rm -f "$LOGS"/big-"$system"-"$call"-*.txt "$LOGS"/big-"$system"-"$call"-*.headers
  local cpids=() accept=()
  [[ $encoding == gzip ]] && accept=(-H 'Accept-Encoding: gzip')
  t0=$(date +%s.%N)
  for ((i = 0; i < clients; i++)); do
    # (the exit code is caught explicitly: under set -e a failing curl would end the subshell before the echo)
    { rc=0; timeout "$BIG_TIMEOUT" curl -s ${accept[@]+"${accept[@]}"} -D "$LOGS/big-$system-$call-$i.headers" \
        -o /dev/null -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' "$target" || rc=$?
      echo " $rc"; } >"$LOGS/big-$system-$call-$i.txt" 2>&1 &
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
      function fail(x) { if (index("+" bad "+", "+" x "+") == 0) bad = (bad == "" ? x : bad "+" x) }
      NF < 5 { fail("curl-exit-" $NF); n++; next }   # curl killed (124: timed out) before it wrote its summary
      { if ($5 != "0") fail("curl-exit-" $5); else if ($1 != "200") fail($1)
        if ($2 > ttfb) ttfb = $2; bytes += $4; n++ }
      END { printf "%s %s %s %d\n", (bad == "" && n ? "200" : (bad == "" ? "none" : bad)), ttfb, (n == 1 ? $3 : wall), bytes }')
  served=$(tr -d '\r' <"$LOGS/big-$system-$call-0.headers" 2>/dev/null | awk '
      tolower($1) == "content-encoding:" { enc = $2 } tolower($1) == "cache-status:" { sub(/^[^:]*: */, ""); cs = $0 }
      END { printf "%s%s", (enc == "" ? "identity" : enc), (cs == "" ? "" : "; Cache-Status: " cs) }')
  log "  round $round $system $call: $seconds s, first byte $ttfb s, $bytes bytes, HTTP $status ($served), heap $heap_start → $heap_peak MB, max after GC $after_gc MB"
  row big "$system" "$call" "$seconds" "$ttfb" "$bytes" "$status" "$heap_start" "$heap_peak" "$after_gc" "$how" "$round" "${served:--}"
  ooms=$(( $(grep -c OutOfMemoryError "$LOGS/$process.log" 2>/dev/null || true) - ooms ))
  local oom=""
  ((ooms > 0)) && oom="logged $ooms OutOfMemoryError lines (-Xmx$HEAP)"
  if ! kill -0 "$pid" 2>/dev/null; then
    log "  $process died during $system $call${oom:+ and $oom}: restarting it"
    row note "$system $call, round $round: $process died during the call${oom:+ and $oom} (status $status); it was restarted (its Redis entry, if any, stays; its JIT starts cold)."
    restart_system "$process"
  elif ((ooms > 0)); then
    # A JVM that ran out of heap may keep connections open without answering: start it afresh for the next calls.
    log "  $process answered $status and $oom during $system $call: restarting it"
    row note "$system $call, round $round: status $status; $process $oom during the call; it was restarted (its Redis entry stays; its JIT starts cold)."
    restart_system "$process"
  fi
}

# redis_entry_bytes SYSTEM: "bytes keys": the sum of MEMORY USAGE (SAMPLES 0) over the keys of the system's
# cache (Roster: its key prefix in DB 0; the stock caches: their cache's keys in their own DB).
redis_entry_bytes() {
  local db pattern
  case $1 in
    roster-*) db=0 pattern="bench-$1:*" ;;
    baseline-tuned) db=2 pattern="cache:members:*" ;;
    baseline-body) db=3 pattern="cache:members-body:*" ;;
    *) echo "- -"; return ;;
  esac
  redis-cli -p "$REDIS_PORT" -n "$db" --scan --pattern "$pattern" | awk '{ print "MEMORY USAGE " $0 " SAMPLES 0" }' \
    | redis-cli -p "$REDIS_PORT" -n "$db" | awk '$1 ~ /^[0-9]+$/ { s += $1; n++ } END { printf "%d %d\n", s, n }'
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
# One mix team per Roster system: each team is written only through the system that measures it. (Each system
# has its own key prefix, so a write through one does not invalidate another's entries: members written by
# another system's mix would show up as stale reads that no single deployment could produce.)
declare -A MIX_TEAM=([roster-cache]=MIXA [roster-near]=MIXB [roster-nocache]=MIXC)
for team in MIXA MIXB MIXC; do
  "$BENCH_DIR/load-data.sh" --url "$(url roster-cache)" --team "$team" --members 100 --prefix "${team,,}_"
done
ALPHA_LOADED=0
((BIG_FIRST)) && load_big_team
for name in "${SYSTEMS[@]}"; do
  expect_count "$(url "$name")$(team_path "$name" SMALL)" 100
  expect_count "$(url "$name")$(team_path "$name" MEDIUM)" 1000
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
# Per team: one common warm-up of every system, then ROUNDS rounds, the order reversed every other round.
if wants wrk; then
log "throughput: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per system and team, $ROUNDS rounds"
for team in SMALL MEDIUM; do
  if [[ $team == SMALL ]]; then label="team of 100"; else label="team of 1,000"; fi
  # ceiling-stream: the same bytes from memory (made at the first call), the most any cache could do here.
  # baseline-caffeine (stock in-process cache of the body), nginx-body (proxy_cache in front of the stock body
  # cache) and ceiling-gzip (the listing gzip-compressed, from memory: other bytes for these identity clients, so
  # it is shown but compared with nothing) are in this workload only.
  list=("${SYSTEMS[@]}" baseline-caffeine)
  ((NGINX_ON)) && list+=(nginx-body)
  list+=(ceiling-stream ceiling-gzip)
  [[ $team == SMALL ]] && list+=(ceiling-json)
  log "$label: common warm-up of ${list[*]}"
  for system in "${list[@]}"; do wrk_prime "$label" "$system" "$(team_path "$system" "$team")"; done
  for ((round = 1; round <= ROUNDS; round++)); do
    read -r -a order <<<"$(order_for "$round" "${list[@]}")"
    log "$label, round $round: ${order[*]}"
    row order "$label" "$round" "${order[*]}"
    for system in "${order[@]}"; do wrk_measure "$label" "$system" "$(team_path "$system" "$team")" "$round"; done
  done
done
fi

# ------------------------------------------------------------------------------------------------ mix
# mix_run SYSTEM SECONDS WARMUP ROUND: one run of the mix; ROUND 0 is the common warm-up (not recorded).
mix_run() {
  local system=$1 seconds=$2 warm=$3 round=$4 out
  out=$(timeout $((seconds + warm + 180)) "$JAVA" "$BENCH_DIR/tools/Mix.java" --url "$(url "$system")" \
          --team "${MIX_TEAM[$system]}" --prefix "${MIX_TEAM[$system],,}_" --members 100 --clients "$MIX_CLIENTS" --seconds "$seconds" \
          --warmup "$warm" --write-pct 10 2>"$LOGS/mix-$system-r$round.err") || die "mix against $system failed: $out"
  if ((round == 0)); then log "  warm-up $system: $out"; wait_idle; return; fi
  log "  round $round $system: $out"
  declare -A m=()
  for kv in $out; do m[${kv%%=*}]=${kv#*=}; done
  row mix "$system" "${m[rps]}" "${m[p50_ms]}" "${m[p99_ms]}" "${m[read_p50_ms]}" "${m[write_p50_ms]}" \
    "${m[reads]}" "${m[writes]}" "${m[checked]}" "${m[stale]}" "${m[errors]}" \
    "$MIX_CLIENTS clients, ${seconds} s per round" "$round"
  if [[ -s "$LOGS/mix-$system-r$round.err" ]]; then
    row note "mix on $system, round $round, reported: $(head -3 "$LOGS/mix-$system-r$round.err" | tr '\n\t' '  ')"
  fi
  wait_idle
}
if wants mix; then
log "write-heavy mix: 10% PUT /members/{name}, 45% GET /teams/{its team}/members, 45% GET /members/{name}; $ROUNDS rounds"
for system in "${ROSTERS[@]}"; do mix_run "$system" "$WARMUP" 0 0; done
for ((round = 1; round <= ROUNDS; round++)); do
  read -r -a order <<<"$(order_for "$round" "${ROSTERS[@]}")"
  row order "write-heavy mix" "$round" "${order[*]}"
  for system in "${order[@]}"; do mix_run "$system" "$MIX_SECONDS" 0 "$round"; done
done
fi

# ------------------------------------------------------------------------------------------------ big team
# Cold calls first (they are also the common warm-up, with one more warm call each); then ROUNDS rounds in
# alternating order, each measuring per system: one warm call (identity), one warm call sending
# Accept-Encoding: gzip, BIG_CLIENTS warm calls at once, and a miss with a warm JIT.
if wants big; then
((ALPHA_LOADED)) || load_big_team
BIG=/teams/ALPHA/members
BIG_SYSTEMS=(roster-cache baseline-tuned baseline-body ceiling-stream roster-nocache)
log "the big team (ALPHA, $MEMBERS members): cold calls and warm-up, then $ROUNDS rounds"
declare -A MEM_BEFORE=()
for system in roster-cache baseline-tuned baseline-body; do MEM_BEFORE[$system]=$(redis_entry_bytes "$system"); done
for system in "${BIG_SYSTEMS[@]}"; do
  case $system in
    roster-cache) how="first call: MongoDB read, cache filled (JIT cold too)" ;;
    baseline-tuned) how="first call: MongoDB read, the listing object SET in Redis as one JSON value" ;;
    baseline-body) how="first call: MongoDB read, Jackson writes the body once, SET in Redis as one value" ;;
    ceiling-stream) how="GET /ceiling$BIG: reads MongoDB, keeps the bytes in memory" ;;
    roster-nocache) how="cache off: MongoDB read (JIT cold)" ;;
  esac
  measure_big "$system" cold "$(base_of "$system")$(team_path "$system" ALPHA)" 1 identity 0 "$how"
  curl -s -o /dev/null --max-time 600 "$(base_of "$system")$(team_path "$system" ALPHA)" || true   # warm-up call
  wait_idle
done
for system in roster-cache baseline-tuned baseline-body; do
  read -r b0 k0 <<<"${MEM_BEFORE[$system]}"
  read -r b1 k1 <<<"$(redis_entry_bytes "$system")"
  row redismem "$system" $((b1 - b0)) $((k1 - k0)) "sum of MEMORY USAGE (SAMPLES 0) over the cache's keys after the cold call and one warm call, minus the same sum before the big team's first call"
  log "  Redis memory of $system's big-team entry: $((b1 - b0)) bytes in $((k1 - k0)) keys"
done

# big_miss_prepare SYSTEM ROUND: makes the next call a miss (Roster: a PUT that changes one member's role, a new
# role every round, invalidates the listing;
# the stock caches: DEL of their entry, as at expiry).
big_miss_prepare() {
  case $1 in
    roster-cache)
      curl -fsS -o /dev/null --max-time 60 -X PUT -H 'Content-Type: application/json' \
        ${ROSTER_TOKEN:+-H "@$WORK/auth.header"} -d "{\"team\":\"ALPHA\",\"role\":\"member-r$2\"}" "$(url roster-cache)/members/user_0" \
        || die "PUT /members/user_0 failed" ;;
    baseline-tuned) redis-cli -p "$REDIS_PORT" -n 2 del cache:members:ALPHA >/dev/null ;;
    baseline-body) redis-cli -p "$REDIS_PORT" -n 3 del cache:members-body:ALPHA >/dev/null ;;
  esac
}

# big_hit_check SYSTEM ROUND: notes when a stock cache's entry is missing before a call meant to be a hit.
big_hit_check() {
  local db key
  case $1 in baseline-tuned) db=2 key=cache:members:ALPHA ;; baseline-body) db=3 key=cache:members-body:ALPHA ;; *) return 0 ;; esac
  [[ $(redis-cli -p "$REDIS_PORT" -n "$db" exists "$key") == 1 ]] \
    || row note "$1 had no Redis entry for ALPHA before its warm calls of round $2: they include a miss."
}

for ((round = 1; round <= ROUNDS; round++)); do
  read -r -a order <<<"$(order_for "$round" "${BIG_SYSTEMS[@]}")"
  log "big team, round $round: ${order[*]}"
  row order "big team" "$round" "${order[*]}"
  for system in "${order[@]}"; do
    target=$(base_of "$system")$(team_path "$system" ALPHA)
    case $system in
      roster-cache) hit="hit: chunks streamed from Redis" ;;
      baseline-tuned) hit="hit: one Redis GET, decoded to the object, encoded again" ;;
      baseline-body) hit="hit: one Redis GET of the serialized body, written as is" ;;
      ceiling-stream) hit="the same bytes written from memory" ;;
      roster-nocache) hit="cache off: MongoDB read again (JIT warm)" ;;
    esac
    big_hit_check "$system" "$round"
    measure_big "$system" warm "$target" 1 identity "$round" "$hit"
    measure_big "$system" gzip "$target" 1 gzip "$round" "$hit; the client sends Accept-Encoding: gzip"
    if [[ $system != roster-nocache ]]; then
      measure_big "$system" "warm-x$BIG_CLIENTS" "$target" "$BIG_CLIENTS" identity "$round" \
        "$BIG_CLIENTS clients at once; time = until the last finished, bytes = total"
    fi
    if [[ $system == roster-cache || $system == baseline-* ]]; then
      big_miss_prepare "$system" "$round"
      case $system in
        roster-cache) how="first call after a PUT to one member (listing invalidated), JIT warm" ;;
        *) how="first call after DEL of its Redis entry (as at expiry), JIT warm" ;;
      esac
      measure_big "$system" miss "$target" 1 identity "$round" "$how"
      if [[ $system == roster-cache ]] && tail -1 "$ROWS" | awk -F'\t' '{ print $NF }' | grep -q 'Cache-Status:.*hit'; then
        row note "roster-cache's miss call of round $round was answered as a cache hit (see its 'served as'): that row does not measure a miss."
      fi
    fi
    wait_idle
  done
done
fi

# ------------------------------------------------------------------------------------------------ report
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
row meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
row meta command "$COMMAND_LINE"
row meta mode "$MODE: big team ALPHA of $MEMBERS members; wrk ${DURATION} s runs after one common ${WARMUP} s warm-up per system; mix ${MIX_SECONDS} s; $ROUNDS rounds per comparison; workloads run: $WORKLOADS"
row meta "Roster commit" "$ROSTER_COMMIT ($ROSTER_FROM$([[ -n "$CHECKOUT_COMMIT" ]] || echo "; commit as given by --roster-commit or the jar's git.properties"))"
row meta "bench checkout" "$(git -C "$REPO_DIR" rev-parse HEAD 2>/dev/null || echo unknown)$( [[ -n "$(git -C "$REPO_DIR" status --porcelain -- bench ':!bench/results' 2>/dev/null)" ]] && echo " dirty (bench/ has changes)")"
row meta "systems" "roster-cache (Redis DB 0, key prefix bench-roster-cache)$( ((NEAR)) && echo ", roster-near (the same with roster.cache.near.enabled=true)"), roster-nocache (roster.cache.enabled=false and every cache's enabled=false), baseline-default (stock quarkus-redis-cache caching the listing object, default Redis pool, DB 1), baseline-tuned (the same with max-pool-size=32, max-pool-waiting=1024, DB 2), baseline-body (stock quarkus-redis-cache caching the serialized body as a String, tuned pool, DB 3), baseline-caffeine (a route of baseline-body's app: the serialized body in stock quarkus-cache's Caffeine backend)$( ((NGINX_ON)) && echo ", nginx-body ($("$NGINX" -v 2>&1 | sed 's/.*: //') with proxy_cache in front of baseline-body: 2 workers, proxy_cache_lock on, upstream keep-alive, no access log; config in the work directory's nginx/)"); the ceilings are routes of baseline-tuned; listing entries live 1 h in every cache (roster-near's in-memory copies: its default TTL)"
row meta "JVM" "$("$JAVA" -version 2>&1 | head -1), -Xmx$HEAP -XX:+UseG1GC for every system"
row meta "servers" "mongo-java-server 1.47.0 (memory backend, -Xmx6g); $(redis-server --version | awk '{print $1, $3}')"
row meta "machine" "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory; load and systems share the cores"
row meta "load average" "$LOAD_BEFORE before the run, $LOAD_START when the workloads started, $LOAD_END at the end (anything above ~0.5 beyond this bench's own load is other work on the machine: expect noise)"
row meta "rounds" "every comparison: one common warm-up of all its systems, then $ROUNDS rounds, the systems in the listed order in odd rounds and reversed in even rounds (the order of each round is listed at the end); tables give the median and the min–max over the rounds; ratios between systems are the median of the per-round ratios (both systems measured in the same round), with their min–max"
if ((BIG_FIRST)); then
  row meta "order" "big team loaded before the wrk and mix workloads"
elif wants wrk || wants mix; then
  row meta "order" "wrk and mix ran before the big team was loaded (the collection held ~1,200 members)"
fi
row note "mongo-java-server scans the whole collection for every query (it ignores secondary indexes), so uncached reads are slower than on a real MongoDB, and more so once the big team is loaded; compare cached paths with each other and with the ceilings."
row method big "One or more curl clients (each giving up after $BIG_TIMEOUT s) GET the listing of ALPHA (ceiling-stream: /ceiling/teams/ALPHA/members, baseline-body: /body/teams/ALPHA/members) and time it; 'gzip' calls send Accept-Encoding: gzip and count the bytes on the wire (curl does not decode them), the others send no Accept-Encoding. 'served as' is the answer's Content-Encoding (and Roster's Cache-Status) of the first client. Status is the HTTP status, or curl's exit code when a transfer broke (curl-exit-18: cut short, -52: empty reply, -124: timed out after $BIG_TIMEOUT s). Before each call the server gets a forced full GC (jcmd GC.run). Heap: 'before' is the heap used right after that GC (the live set), 'peak' the most used in jstat -gc samples every 100 ms (garbage included), 'max after a GC' the largest occupancy G1 logged (-Xlog:gc) after any collection during the call, i.e. what the call kept alive; '-' when no GC ran."
row method wrk "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency --timeout 10s; per team one common warm-up of every system (a priming call and ${WARMUP} s of wrk), then $ROUNDS rounds of one run per system, each after the servers went idle. Errors are socket errors plus non-2xx answers, summed over the rounds. Per request (medians over the rounds): Redis commands (CONFIG RESETSTAT before the run, INFO commandstats after it, every client's commands, config and info left out), CPU µs of the system's processes (utime + stime from /proc/<pid>/stat, all threads; nginx-body: nginx's master and workers) and of redis-server, in clock ticks of 1/$CLK_TCK s, and bytes read by wrk (headers included). Before the rounds each system's answer is fetched once: a ratio between two rows that send different bytes (Content-Encoding, decoded body or size) is not computed."
row method mix "java bench/tools/Mix.java: $MIX_CLIENTS client threads (JDK HttpClient, HTTP/1.1 keep-alive), each owning 1/$MIX_CLIENTS of a 100-member team written only through the system measured (roster-cache: MIXA, roster-near: MIXB, roster-nocache: MIXC); per operation 10% PUT /members/{name} with a new role, 45% GET /teams/{team}/members, 45% GET /members/{name}. Every read is checked against the roles the client itself wrote and saw answered: one showing an older role is stale. One ${WARMUP} s warm-up run per system, then $ROUNDS rounds; stale reads, checked reads and errors are summed over the rounds."
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
