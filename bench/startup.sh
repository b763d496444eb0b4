#!/usr/bin/env bash
# JVM start-up of the packaged Roster: time from process start to the first successful HTTP response
# (GET /teams, 200), and RSS at that moment, for (i) Java 17 fast-jar (the default package), (ii) the JDK 25 AOT
# cache (-Dquarkus.package.jar.aot.*, launched with -XX:AOTCache=app.aot from target/quarkus-app), and (iii) the
# same JDK 25 jar without its cache, for reference. Runs each N times (default 5) in turns, against an external
# Redis and MongoDB wire-protocol server started once. Writes bench/results/startup-latest.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/startup.sh${*:+ $*}"

RUNS=5
PORT_BASE=18700
WORK=${TMPDIR:-/tmp}/roster-startup
RESULTS_DIR=$BENCH_DIR/results
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
QUIET_WAIT=30
NO_INSTALL=0
SKIP_BUILD=0

usage() {
  cat <<'EOF'
Usage: bench/startup.sh [options]

  --runs N            starts per variant (default 5)
  --jdk25 DIR         JDK 25 home for the AOT build and run (default /usr/lib/jvm/temurin-25-jdk-amd64; env JDK25)
  --quiet-wait S      before each start, wait up to S seconds for the CPUs to be mostly idle (default 30; 0: never)
  --port-base P       first port on 127.0.0.1 (default 18700; uses P, P+1, P+10, P+11)
  --work DIR          build and scratch directory (default ${TMPDIR:-/tmp}/roster-startup)
  --results DIR       where startup-latest.md goes (default bench/results)
  --skip-build        reuse the two builds already in --work (src/ and src-aot/)
  --no-install        do not apt-get install missing tools
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --jdk25) JDK25=$2; shift 2 ;;
    --quiet-wait) QUIET_WAIT=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "startup.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
((RUNS >= 1 && RUNS <= 50)) || { echo "startup.sh: --runs must be 1..50" >&2; exit 2; }

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"

JAVA17=$JAVA
[[ -x "$JDK25/bin/java" ]] || die "no JDK 25 at $JDK25 (--jdk25)"
MONGO_PORT=$PORT_BASE
REDIS_PORT=$((PORT_BASE + 1))
HTTP=$((PORT_BASE + 10)) MGMT=$((PORT_BASE + 11))
ensure_tools
check_ports_free "$MONGO_PORT" "$REDIS_PORT" "$HTTP" "$MGMT"

# ------------------------------------------------------------------------------------------------ build
if ((SKIP_BUILD)); then
  [[ -f $WORK/src/target/quarkus-app/quarkus-run.jar && -f $WORK/src-aot/target/quarkus-app/app.aot ]] \
    || die "--skip-build: no builds in $WORK"
else
  log "copying the checkout to $WORK/src and $WORK/src-aot"
  copy_checkout "$WORK/src"
  copy_checkout "$WORK/src-aot"
  log "building the Java 17 fast-jar (log: $LOGS/build-17.log)"
  build_roster "$WORK/src" "$LOGS/build-17.log"
  log "building the JDK 25 AOT-cache jar (log: $LOGS/build-aot.log)"
  (export JAVA_HOME=$JDK25; build_roster "$WORK/src-aot" "$LOGS/build-aot.log" \
    -Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.phase=BUILD -Dquarkus.package.jar.aot.type=AOT)
fi
APP17=$WORK/src/target/quarkus-app
APP25=$WORK/src-aot/target/quarkus-app
[[ -f $APP25/app.aot ]] || die "the AOT build made no $APP25/app.aot"
MONGO_CP=$(mongo_classpath "$WORK/src")
mint_token

log "starting Redis :$REDIS_PORT and mongo-java-server :$MONGO_PORT (started once, outside the measurement)"
start_redis "$REDIS_PORT"
start_mongo "$MONGO_PORT"
APP_ARGS=(-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP"
          -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$MGMT"
          -Dmp.jwt.verify.publickey.location="$KEYS/publicKey.pem"
          -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT"
          -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -Droster.cache.key-prefix=startup)

# variant NAME -> "java-binary|app-dir|extra JVM flags"
declare -A VARIANT=(
  [java17-fast-jar]="$JAVA17|$APP17|"
  [jdk25-aot-cache]="$JDK25/bin/java|$APP25|-XX:AOTCache=app.aot"
  [jdk25-no-cache]="$JDK25/bin/java|$APP25|"
)
ORDER=(java17-fast-jar jdk25-aot-cache jdk25-no-cache)

cpu_idle_share() {  # share of idle CPU over the next second, in %
  local a b
  read -r _ a1 a2 a3 a4 a5 a6 a7 _ < /proc/stat
  sleep 1
  read -r _ b1 b2 b3 b4 b5 b6 b7 _ < /proc/stat
  a=$((a1 + a2 + a3 + a4 + a5 + a6 + a7)); b=$((b1 + b2 + b3 + b4 + b5 + b6 + b7))
  echo $(( (b4 - a4) * 100 / (b - a > 0 ? b - a : 1) ))
}
wait_quiet() {  # up to QUIET_WAIT s for >= 85% idle; prints the idle share seen last
  local deadline=$((SECONDS + QUIET_WAIT)) idle
  idle=$(cpu_idle_share)
  while ((idle < 85 && SECONDS < deadline)); do idle=$(cpu_idle_share); done
  echo "$idle"
}

# AOT check: the cache must be opened and used.
IFS='|' read -r java dir flags <<<"${VARIANT[jdk25-aot-cache]}"
log "checking that the AOT cache is used (-Xlog:aot)"
(cd "$dir" && exec "$java" $flags -Xlog:aot=info "${APP_ARGS[@]}" -jar quarkus-run.jar >"$LOGS/aot-check.log" 2>&1) &
pid=$!
PIDS+=("$pid")
for _ in $(seq 600); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$HTTP/teams" || true) == 200 ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
stop_pid "$pid" 20
AOT_USED=$(grep -c 'Using AOT-linked classes: true' "$LOGS/aot-check.log" || true)
AOT_LINE=$(grep -m1 -E 'Using AOT-linked classes|Unable to use|AOT cache .*(disabled|mismatch)' "$LOGS/aot-check.log" | sed 's/^\[[^]]*\]//' || true)
((AOT_USED)) || log "WARNING: the AOT cache was not used (see $LOGS/aot-check.log)"

# ------------------------------------------------------------------------------------------------ measure
ROWS=$WORK/startup.tsv
: >"$ROWS"
for run in $(seq "$RUNS"); do
  for name in "${ORDER[@]}"; do
    IFS='|' read -r java dir flags <<<"${VARIANT[$name]}"
    idle=$(wait_quiet)
    logfile=$LOGS/$name-$run.log
    t0=$(date +%s%N)
    (cd "$dir" && exec "$java" $flags "${APP_ARGS[@]}" -jar quarkus-run.jar >"$logfile" 2>&1) &
    pid=$!
    PIDS+=("$pid")
    ok=0
    deadline=$((SECONDS + 120))
    while ((SECONDS < deadline)); do
      if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$HTTP/teams" 2>/dev/null || true) == 200 ]]; then
        ok=1
        break
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.01
    done
    t1=$(date +%s%N)
    rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo -)
    stop_pid "$pid" 20
    ((ok)) || { tail -20 "$logfile" >&2; die "$name run $run: no 200 from GET /teams within 120 s"; }
    ms=$(( (t1 - t0) / 1000000 ))
    quarkus=$(grep -o 'started in [0-9.]*s' "$logfile" | head -1 | grep -o '[0-9.]*' || echo -)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$ms" "$rss" "$quarkus" "$idle" >>"$ROWS"
    log "  $name run $run: first 200 after $ms ms, RSS $rss MB (Quarkus: started in ${quarkus}s; CPU idle before: $idle%)"
  done
done

# ------------------------------------------------------------------------------------------------ report
stats() {  # stats NAME COLUMN -> "min median max"
  awk -F'\t' -v n="$1" -v c="$2" '$1 == n && $c != "-" { print $c }' "$ROWS" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
             m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m, v[NR] }'
}
OUT=$RESULTS_DIR/startup-latest.md
{
  echo "# Roster JVM start-up (bench/startup.sh)"
  echo
  echo "- **date**: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- **command**: $COMMAND_LINE"
  echo "- **checkout**: $(checkout_line)"
  echo "- **measure**: wall clock from launching \`java\` to the first \`200\` of \`GET /teams\` (curl polled every ~10 ms; the first request reads MongoDB and fills Redis), RSS of the process at that moment; $RUNS starts per variant, taken in turns; no JVM flags besides those shown (default heap); prod profile, external Redis and mongo-java-server already running"
  echo "- **java17-fast-jar**: \`./mvnw package\` (default fast-jar), \`$("$JAVA17" -version 2>&1 | head -1)\`: \`java -jar target/quarkus-app/quarkus-run.jar\`"
  echo "- **jdk25-aot-cache**: \`JAVA_HOME=$JDK25 ./mvnw package -Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.phase=BUILD -Dquarkus.package.jar.aot.type=AOT\`, \`$("$JDK25/bin/java" -version 2>&1 | head -1)\`: \`cd target/quarkus-app && java -XX:AOTCache=app.aot -jar quarkus-run.jar\` (as the build log says: from that directory, same JDK); cache $(du -m "$APP25/app.aot" | cut -f1) MB; check with -Xlog:aot: \`${AOT_LINE:-no line found}\`"
  echo "- **jdk25-no-cache**: the same JDK 25 jar without \`-XX:AOTCache\` (separates the JDK's own gain from the cache's)"
  echo "- **machine**: $(machine_line); each start waited up to ${QUIET_WAIT} s for >= 85 % idle CPU (idle seen per start: $(cut -f6 "$ROWS" | tr '\n' ' ')%)"
  echo
  echo "| variant | first 200, min | median | max | Quarkus \"started in\", median | RSS at first 200, median (min-max) |"
  echo "|---|--:|--:|--:|--:|--:|"
  for name in "${ORDER[@]}"; do
    read -r mn md mx < <(stats "$name" 3)
    read -r _ qmd _ < <(stats "$name" 5)
    read -r rmn rmd rmx < <(stats "$name" 4)
    printf '| %s | %s ms | %s ms | %s ms | %s s | %s MB (%s-%s) |\n' "$name" "$mn" "$md" "$mx" "$qmd" "$rmd" "$rmn" "$rmx"
  done
  echo
  echo "Every start:"
  echo
  echo "| variant | run | first 200 ms | RSS MB | Quarkus started in s | CPU idle before % |"
  echo "|---|--:|--:|--:|--:|--:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$ROWS"
} >"$OUT"
cat "$OUT"
log "results: $OUT (logs in $LOGS)"
