#!/usr/bin/env bash
# Roster's native executable, built and checked in one run: builds it with the given GraalVM (or Mandrel) home,
# starts two instances against one local Redis and one MongoDB wire-protocol server, runs a smoke pass over every
# route (the API, problem+json bodies, the bulk report, health, metrics, OpenAPI, cache admin, a change seen by the
# other instance), and reports build time, executable size, time to the first 200, RSS after start, after the smoke
# pass and under load, and an A/B of cache hits, native vs the JVM fast-jar (req/s and p99 with wrk), measured
# in alternating order in the same run. Writes bench/results/native-<UTC time>.md and native-latest.md.
#
#   bench/native.sh GRAALVM_HOME [--skip-build] [--rounds N] [--duration S] [--warmup S] [--connections N]
#                                [--port-base P] [--work DIR] [--results DIR] [--no-install]
#
# GRAALVM_HOME is what -Dquarkus.native.graalvm-home takes (a directory with bin/native-image). Defaults: 3 rounds
# of 10 s, 10 s warm-up each, wrk -t2 -c32, ports from 18900, work directory ${TMPDIR:-/tmp}/roster-native.
# The exit status is non-zero when the build fails or any smoke check fails (the report is written either way
# once the instances ran).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/native.sh${*:+ $*}"

GRAALVM_HOME_ARG=
SKIP_BUILD=0
ROUNDS=3
DURATION=10
WARMUP=10
CONNECTIONS=32
PORT_BASE=18900
WORK=${TMPDIR:-/tmp}/roster-native
RESULTS_DIR=$BENCH_DIR/results
NO_INSTALL=0
while (($#)); do
  case $1 in
    --skip-build) SKIP_BUILD=1; shift ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h | --help) sed -n 2,16p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) [[ -z $GRAALVM_HOME_ARG ]] || { echo "one GRAALVM_HOME only" >&2; exit 2; }; GRAALVM_HOME_ARG=$1; shift ;;
  esac
done
[[ -n $GRAALVM_HOME_ARG ]] || { sed -n 9,10p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
GRAALVM=$(cd "$GRAALVM_HOME_ARG" && pwd)
[[ -x $GRAALVM/bin/native-image ]] || { echo "no bin/native-image in $GRAALVM" >&2; exit 2; }
((ROUNDS >= 1)) || { echo "--rounds: at least 1" >&2; exit 2; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"
ensure_tools
for tool in wrk jq; do
  command -v $tool >/dev/null || { ((NO_INSTALL)) && die "$tool missing"; apt-get install -y -qq $tool >>"$LOGS/apt.log" 2>&1 || die "apt-get install $tool failed"; }
done

HTTP1=$PORT_BASE MGMT1=$((PORT_BASE + 1)) HTTP2=$((PORT_BASE + 2)) MGMT2=$((PORT_BASE + 3))
HTTPJ=$((PORT_BASE + 4)) MGMTJ=$((PORT_BASE + 5)) REDIS_PORT=$((PORT_BASE + 6)) MONGO_PORT=$((PORT_BASE + 7))
check_ports_free "$HTTP1" "$MGMT1" "$HTTP2" "$MGMT2" "$HTTPJ" "$MGMTJ" "$REDIS_PORT" "$MONGO_PORT"

# ------------------------------------------------------------------------------------------------ build
NATIVE_SRC=$WORK/src JVM_SRC=$WORK/src-jvm
if ((SKIP_BUILD)); then
  EXE=$(ls "$NATIVE_SRC"/target/*-runner 2>/dev/null | head -1 || true)
  [[ -x ${EXE:-} && -f $JVM_SRC/target/quarkus-app/quarkus-run.jar && -s $WORK/build-seconds ]] \
    || die "--skip-build: no earlier builds in $WORK"
  BUILD_S=$(cat "$WORK/build-seconds")
else
  copy_checkout "$NATIVE_SRC"
  copy_checkout "$JVM_SRC"
  log "building the native executable with $GRAALVM (log: $LOGS/build-native.log; several minutes, ~6 GB)"
  t0=$SECONDS
  build_roster "$NATIVE_SRC" "$LOGS/build-native.log" -Dnative -Dquarkus.native.graalvm-home="$GRAALVM"
  BUILD_S=$((SECONDS - t0))
  echo "$BUILD_S" >"$WORK/build-seconds"
  cp "$LOGS/build-native.log" "$WORK/build-native.log"
  log "building the JVM fast-jar for the A/B (log: $LOGS/build-jvm.log)"
  build_roster "$JVM_SRC" "$LOGS/build-jvm.log"
  EXE=$(ls "$NATIVE_SRC"/target/*-runner | head -1)
fi
[[ -x $EXE ]] || die "no native executable in $NATIVE_SRC/target"
JAR=$JVM_SRC/target/quarkus-app/quarkus-run.jar
EXE_MB=$(awk -v b="$(stat -c %s "$EXE")" 'BEGIN {printf "%.1f", b / 1048576}')
GRAAL_VERSION=$("$GRAALVM/bin/native-image" --version 2>&1 | tr '\n' ' ' | sed 's/  */ /g')
PEAK_BUILDER=$(grep -o 'Peak RSS: [0-9.]*GB' "$WORK/build-native.log" 2>/dev/null | head -1 || true)
log "executable $EXE: $EXE_MB MB, built in ${BUILD_S}s"

MONGO_CP=$(mongo_classpath "$JVM_SRC")
mint_token
start_redis "$REDIS_PORT"
MONGO_WIRE_ARGS=--oplog start_mongo "$MONGO_PORT"  # with change streams: the smoke pass checks the change feed
COMMON=(-Dquarkus.http.host=127.0.0.1 -Dquarkus.management.host=127.0.0.1
        -Dmp.jwt.verify.publickey.location="$KEYS/publicKey.pem" -Dquarkus.log.console.json.enabled=false
        -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$MONGO_PORT"
        -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT")

rss_mb() { awk -v k="${2:-VmRSS}:" '$1 == k {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo -; }

# start_native NAME HTTP MGMT [-D…]: the executable in the background; sets FIRST (ms from launch to the first
# 200 of GET /teams) and RSS_START (MB at that moment).
start_native() {
  local name=$1 http=$2 mgmt=$3 t0 pid
  shift 3
  t0=$(date +%s%N)
  (cd "$WORK" && exec "$EXE" "${COMMON[@]}" -Dquarkus.http.port="$http" -Dquarkus.management.port="$mgmt" "$@" \
     >>"$LOGS/$name.log" 2>&1) &
  pid=$!
  ROSTER_PID[$name]=$pid
  PIDS+=("$pid")
  for _ in $(seq 3000); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$http/teams" || true) == 200 ]] && break
    kill -0 "$pid" 2>/dev/null || { tail -30 "$LOGS/$name.log" >&2; die "$name exited at start"; }
    sleep 0.005
  done
  FIRST=$(( ($(date +%s%N) - t0) / 1000000 ))
  RSS_START=$(rss_mb "$pid")
}

log "starting two native instances"
start_native n1 "$HTTP1" "$MGMT1" -Droster.cache.key-prefix=native
FIRST1=$FIRST RSS_START1=$RSS_START
start_native n2 "$HTTP2" "$MGMT2" -Droster.cache.key-prefix=native
FIRST2=$FIRST RSS_START2=$RSS_START
wait_ready n1 "$MGMT1"
wait_ready n2 "$MGMT2"
log "first 200: n1 ${FIRST1} ms (RSS $RSS_START1 MB), n2 ${FIRST2} ms (RSS $RSS_START2 MB)"
QUARKUS_STARTED=$(grep -ho 'started in [0-9.]*s' "$LOGS/n1.log" "$LOGS/n2.log" | grep -o '[0-9.]\+s' | tr '\n' ' ')

# ------------------------------------------------------------------------------------------------ smoke pass
PASS=0 FAIL=0 FAILURES=()
BODY=$WORK/body HEADERS=$WORK/headers
# req METHOD URL [curl args…]: sets CODE; the body is in $BODY, the headers in $HEADERS
req() {
  local method=$1 url=$2
  shift 2
  CODE=$(curl -s -o "$BODY" -D "$HEADERS" -w '%{http_code}' --max-time 20 -X "$method" "$@" "$url" || echo 000)
}
header() { tr -d '\r' <"$HEADERS" | awk -F': ' -v h="$(tr '[:upper:]' '[:lower:]' <<<"$1")" 'tolower($1) == h {print $2}' | tail -1; }
# check NAME EXPECTED_CODE [JQ_FILTER]: the last req answered EXPECTED_CODE and, if given, the filter is true
check() {
  local name=$1 want=$2 filter=${3:-}
  if [[ $CODE == "$want" ]] && { [[ -z $filter ]] || jq -e "$filter" "$BODY" >/dev/null 2>&1; }; then
    PASS=$((PASS + 1))
  else
    FAIL=$((FAIL + 1))
    FAILURES+=("$name: HTTP $CODE (want $want${filter:+, $filter}); body: $(head -c 300 "$BODY" | tr '\n' ' ')")
    log "FAIL $name: HTTP $CODE; $(head -c 200 "$BODY")"
  fi
}
PROBLEM='.status != null and .title != null and .type != null'
A=http://127.0.0.1:$HTTP1 B=http://127.0.0.1:$HTTP2 M=http://127.0.0.1:$MGMT1
AUTH=(-H @"$WORK/auth.header")
JSON=(-H 'Content-Type: application/json')
T=SMOKE$RANDOM

log "smoke pass over every route"
req POST "$A/members" "${AUTH[@]}" "${JSON[@]}" -d "{\"name\":\"s1_$T\",\"team\":\"$T\",\"email\":\"s1@example.com\",\"role\":\"dev\"}"
check "POST /members" 201 '.name != null and .team != null and .version != null'
[[ -n $(header Location) && -n $(header ETag) ]] || { FAIL=$((FAIL + 1)); FAILURES+=("POST /members: no Location or ETag"); }
ETAG=$(header ETag)
req GET "$A/members/s1_$T"; check "GET /members/{name}" 200 ".email == \"s1@example.com\""
req GET "$A/members/s1_$T"; check "GET /members/{name} again" 200
[[ $(header Cache-Status) == *hit* ]] && PASS=$((PASS + 1)) || { FAIL=$((FAIL + 1)); FAILURES+=("GET /members/{name}: second read not a hit: $(header Cache-Status)"); }
req GET "$A/members/s1_$T" -H "If-None-Match: $ETAG"; check "GET /members/{name} If-None-Match" 304
req PUT "$A/members/s1_$T" "${AUTH[@]}" "${JSON[@]}" -H "If-Match: $ETAG" -d "{\"team\":\"$T\",\"email\":\"s1b@example.com\",\"role\":\"lead\"}"
check "PUT /members/{name}" 200 '.role == "lead"'
req GET "$B/members/s1_$T"; check "GET on the other instance after PUT" 200 '.role == "lead"'
req PUT "$A/members/s1_$T" "${AUTH[@]}" "${JSON[@]}" -H "If-Match: $ETAG" -d "{\"team\":\"$T\",\"email\":\"x@example.com\",\"role\":\"dev\"}"
check "PUT with a stale If-Match (412 problem)" 412 "$PROBLEM and .status == 412"
req POST "$A/members" "${AUTH[@]}" "${JSON[@]}" -d '{"name":"","team":"","email":"nope"}'
check "POST invalid (400 problem with violations)" 400 "$PROBLEM and .status == 400 and (.violations | length) > 0 and .violations[0].field != null"
req POST "$A/members" "${AUTH[@]}" "${JSON[@]}" -d '{"name":'
check "POST malformed JSON (400 problem)" 400 "$PROBLEM"
req POST "$A/members" "${JSON[@]}" -d "{\"name\":\"s2_$T\",\"team\":\"$T\"}"
check "POST without a token (401 problem)" 401 "$PROBLEM and .status == 401"
req POST "$A/members" "${AUTH[@]}" -H 'Content-Type: text/plain' -d 'x'
check "POST text/plain (415 problem)" 415 "$PROBLEM"
req GET "$A/members/nobody_$T"; check "GET unknown member (404 problem)" 404 "$PROBLEM and .status == 404 and .detail != null"
req POST "$A/members" "${AUTH[@]}" "${JSON[@]}" -d "{\"name\":\"s1_$T\",\"team\":\"$T\",\"email\":\"d@example.com\"}"
check "POST duplicate (409 problem)" 409 "$PROBLEM and .status == 409"
lines=$(for i in 1 2 3; do printf '{"name":"b%d_%s","team":"%s","role":"dev"}\n' "$i" "$T" "$T"; done; echo '{"name":')
req POST "$A/members/bulk" "${AUTH[@]}" -H 'Content-Type: application/x-ndjson' --data-binary "$lines"
check "POST /members/bulk (report with counts and errors)" 200 '.inserted == 3 and .updated == 0 and .failed == 1 and (.errors | length) == 1 and .errors[0].line == 4 and .errors[0].error != null'
req POST "$A/members/bulk" "${AUTH[@]}" "${JSON[@]}" -d '{}'
check "POST /members/bulk wrong type (415 problem)" 415 "$PROBLEM and .status == 415"
req GET "$A/teams/$T/members"; check "GET /teams/{team}/members" 200 ".team == \"$T\" and .count == 4 and (.members | length) == 4"
req GET "$A/teams/$T/members?limit=2"; check "GET /teams/{team}/members?limit=2" 200 '(.members | length) == 2 and .next != null'
req GET "$A/teams/$T/members?limit=0"; check "GET ?limit=0 (400 problem)" 400 "$PROBLEM"
req GET "$B/teams/$T/members"; check "GET listing on the other instance" 200 '.count == 4'
req GET "$A/teams"; check "GET /teams" 200 "[.teams[] | select(.team == \"$T\" and .count == 4)] | length == 1"
req DELETE "$A/members/b1_$T" "${AUTH[@]}"; check "DELETE /members/{name}" 204
req GET "$B/members/b1_$T"; check "GET deleted member on the other instance" 404 "$PROBLEM"
req GET "$M/q/roster/cache/explain?path=/teams/$T/members" "${AUTH[@]}"; check "GET cache explain" 200 '.key != null and .keyHash != null'
req POST "$M/q/roster/cache/evict?path=/teams/$T/members" "${AUTH[@]}"; check "POST cache evict" 200 '.evicted != null'
req POST "$M/q/roster/cache/evict-tag?kind=team&value=$T" "${AUTH[@]}"; check "POST cache evict-tag" 200 '.bumped != null'
req GET "$M/q/roster/cache/explain?path=/teams/$T/members"; check "cache admin without a token (401 problem)" 401 "$PROBLEM"
# A change made behind the API's back reaches both instances through the change feed.
curl -s -o /dev/null "$B/members/s1_$T" || true  # cached on B before the change
MONGO_CHANGED=0
cat >"$WORK/DirectWrite.java" <<'EOF'
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
public class DirectWrite {
    public static void main(String[] a) {
        try (var c = MongoClients.create("mongodb://127.0.0.1:" + a[0])) {
            long n = c.getDatabase("roster").getCollection("members")
                    .updateOne(Filters.eq("name", a[1]), Updates.set("role", "direct")).getModifiedCount();
            if (n != 1) throw new IllegalStateException("modified " + n);
        }
    }
}
EOF
if "$JAVA" -cp "$(tools_classpath "$JVM_SRC")" "$WORK/DirectWrite.java" "$MONGO_PORT" "s1_$T" >"$LOGS/direct-write.log" 2>&1; then
  MONGO_CHANGED=1
fi
seen=0
for _ in $(seq 100); do
  r1=$(curl -s "$A/members/s1_$T" | jq -r .role 2>/dev/null || true); r2=$(curl -s "$B/members/s1_$T" | jq -r .role 2>/dev/null || true)
  [[ $r1 == direct && $r2 == direct ]] && { seen=1; break; }
  sleep 0.1
done
if ((MONGO_CHANGED && seen)); then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); FAILURES+=("change feed: a direct MongoDB update not served by both instances within 10 s (written: $MONGO_CHANGED; see $LOGS/direct-write.log, n1.log, n2.log)"); fi
req DELETE "$A/teams/$T" "${AUTH[@]}"; check "DELETE /teams/{team}" 200 '.deleted == 3'
req GET "$B/teams/$T/members"; check "listing after team delete, other instance" 200 '.count == 0'
for probe in started ready live; do
  req GET "$M/q/health/$probe"; check "GET /q/health/$probe" 200 '.status == "UP"'
done
req GET "$M/q/health"; check "GET /q/health" 200 '.status == "UP" and (.checks | length) > 0'
req GET "$M/q/metrics"
if [[ $CODE == 200 ]] && grep -q '^cache_gets_total' "$BODY"; then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); FAILURES+=("GET /q/metrics: HTTP $CODE, cache_gets_total missing"); fi
req GET "$M/q/openapi?format=json"; check "GET /q/openapi" 200 '.openapi != null and (.paths | has("/members/{name}"))'
RSS_SMOKE1=$(rss_mb "${ROSTER_PID[n1]}")
log "smoke pass: $PASS passed, $FAIL failed"

# ------------------------------------------------------------------------------------------------ A/B of hits
log "starting the JVM fast-jar for the A/B"
start_roster jvm "$JAR" "$HTTPJ" "$MGMTJ" "${COMMON[@]:4}" -Droster.cache.key-prefix=jvm
wait_ready jvm "$MGMTJ"
RSS_JVM_START=$(rss_mb "${ROSTER_PID[jvm]}")
TEAM=AB100
lines=$(for i in $(seq 0 99); do printf '{"name":"ab_%03d","team":"%s","role":"dev"}\n' "$i" "$TEAM"; done)
curl -fsS -o /dev/null "${AUTH[@]}" -H 'Content-Type: application/x-ndjson' --data-binary "$lines" "$A/members/bulk" \
  || die "loading the A/B team failed"
declare -A URL=([native]="$A/teams/$TEAM/members" [jvm]="http://127.0.0.1:$HTTPJ/teams/$TEAM/members")
declare -A PID_OF=([native]=${ROSTER_PID[n1]} [jvm]=${ROSTER_PID[jvm]})
# Both must answer from their cache before anything is measured. A fresh instance's change feed evicts what the
# load's inserts touched (and, with no saved position, everything once), so hits may take a moment.
for s in native jvm; do
  for _ in $(seq 50); do
    curl -fsS -o /dev/null "${URL[$s]}"
    status=$(curl -fsS -D - -o /dev/null "${URL[$s]}" | tr -d '\r' | awk -F': ' 'tolower($1) == "cache-status" {print $2}')
    [[ $status == *hit* ]] && break
    sleep 0.2
  done
  [[ $status == *hit* ]] || die "$s does not hit: $status"
done
measure() {  # measure SYSTEM SECONDS -> "req_per_s p99_ms"
  local out rps p99
  out=$(timeout $(($2 + 30)) wrk -t2 -c"$CONNECTIONS" -d"$2"s --latency "${URL[$1]}")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$rps $p99"
}
log "warm-up: ${WARMUP}s each"
for s in native jvm; do measure "$s" "$WARMUP" >/dev/null; done
declare -A RPS P99 RSS_LOAD
ORDERS=()
for r in $(seq 1 "$ROUNDS"); do
  order="native jvm"; ((r % 2 == 0)) && order="jvm native"
  ORDERS+=("$r: $order")
  for s in $order; do
    read -r rps p99 < <(measure "$s" "$DURATION")
    RPS[$s]+="$rps "; P99[$s]+="$p99 "
    log "round $r $s: $rps req/s, p99 $p99 ms"
  done
done
for s in native jvm; do RSS_LOAD[$s]="$(rss_mb "${PID_OF[$s]}") now, peak $(rss_mb "${PID_OF[$s]}" VmHWM)"; done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (!NR) {print "-"; exit}; m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
ratios() { paste -d' ' <(tr ' ' '\n' <<<"$1" | grep -v '^$') <(tr ' ' '\n' <<<"$2" | grep -v '^$') | awk '$2 > 0 {printf "%.2f ", $1 / $2}'; }
RR=$(ratios "${RPS[native]}" "${RPS[jvm]}") PR=$(ratios "${P99[native]}" "${P99[jvm]}")

# ------------------------------------------------------------------------------------------------ report
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$RESULTS_DIR/native-$STAMP.md
{
  echo "# Roster native executable (bench/native.sh)"
  echo
  echo "- **date**: $(date -u '+%Y-%m-%d %H:%M UTC'); **command**: \`$COMMAND_LINE\`"
  echo "- **checkout**: $(checkout_line)"
  echo "- **GraalVM**: \`$GRAAL_VERSION\`"
  echo "- **machine**: $(machine_line); load average before the run $LOAD_BEFORE, after $LOAD_END"
  echo
  echo "| what | value |"
  echo "|---|---|"
  echo "| build (\`./mvnw package -Dnative -DskipTests\`) | ${BUILD_S} s${PEAK_BUILDER:+ (builder $PEAK_BUILDER)} |"
  echo "| executable size | $EXE_MB MB |"
  echo "| first 200 of \`GET /teams\` from launch (curl every ~5 ms; reads MongoDB) | n1 $FIRST1 ms, n2 $FIRST2 ms |"
  echo "| Quarkus \"started in\" | $QUARKUS_STARTED |"
  echo "| RSS at first 200 | n1 $RSS_START1 MB, n2 $RSS_START2 MB (JVM fast-jar after readiness: $RSS_JVM_START MB) |"
  echo "| RSS after the smoke pass | n1 $RSS_SMOKE1 MB |"
  echo "| RSS after the A/B load (now, peak) | native ${RSS_LOAD[native]} MB; JVM ${RSS_LOAD[jvm]} MB |"
  echo "| smoke pass | $PASS passed, $FAIL failed |"
  echo
  echo "## Hits, native vs JVM"
  echo
  echo "\`GET /teams/$TEAM/members\` (100 members, a cache hit), \`wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency\`, one ${WARMUP}s warm-up each, $ROUNDS rounds in alternating order ($(IFS=';'; echo "${ORDERS[*]}")). Native: default heap settings of the executable; JVM: \`java -Xmx1g -XX:+UseG1GC -jar\` ($("$JAVA" -version 2>&1 | head -1)). Same Redis, same MongoDB wire server, wrk on the same cores."
  echo
  echo "| system | req/s median | per round | p99 ms median | per round |"
  echo "|---|--:|---|--:|---|"
  echo "| native | $(median "${RPS[native]}") | ${RPS[native]} | $(median "${P99[native]}") | ${P99[native]} |"
  echo "| jvm | $(median "${RPS[jvm]}") | ${RPS[jvm]} | $(median "${P99[jvm]}") | ${P99[jvm]} |"
  echo
  echo "native/JVM per round: req/s $RR(median $(median "$RR")×); p99 $PR(median $(median "$PR")×)."
  if ((FAIL)); then
    echo
    echo "## Smoke failures"
    echo
    for f in "${FAILURES[@]}"; do echo "- $f"; done
  fi
} >"$REPORT"
cp "$REPORT" "$RESULTS_DIR/native-latest.md"
cat "$REPORT"
log "results: $REPORT (logs in $LOGS)"
((FAIL == 0)) || exit 1
