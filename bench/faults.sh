#!/usr/bin/env bash
# Roster under real faults: builds the packaged app from this checkout, starts Redis, a MongoDB wire-protocol
# server and Roster (prod profile, JWT for writes) on 127.0.0.1, keeps a steady load on it, then kills Redis,
# freezes Redis, and kills MongoDB, each followed by a recovery. Then, with a second instance B on the same Redis
# and key prefix that reaches MongoDB through a proxy able to hold or swallow write replies: Redis frozen under
# 16 closed-loop clients, clients that leave mid-PUT, and lost MongoDB write replies, each checked for stale
# reads against what MongoDB holds. Reports per phase requests, failures, p99 and the share of cache hits, per
# event requests, stale reads and failures, plus pass/fail checks, in bench/results/faults-latest.md. See
# bench/FAULTS.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
COMMAND_LINE="bench/faults.sh${*:+ $*}"

PORT_BASE=18500
WORK=${TMPDIR:-/tmp}/roster-faults
RESULTS_DIR=$BENCH_DIR/results
ROSTER_JAR=
CLIENTS=8
RATE=300
PHASE=10      # seconds of the healthy and reference phases, and of each "after recovery" phase
DOWN=8        # seconds Redis stays killed, and MongoDB at least stays down
FREEZE=5      # seconds Redis stays stopped (SIGSTOP)
BURST_CLIENTS=16  # closed-loop clients of phase d
NO_INSTALL=0

usage() {
  cat <<'EOF'
Usage: bench/faults.sh [options]

  --rate N            requests/s of the steady load, in total (default 300), over --clients N threads (default 8)
  --phase S           seconds of the healthy, reference and after-recovery phases (default 10)
  --down S            seconds Redis stays killed / MongoDB at least stays down (default 8)
  --freeze S          seconds Redis stays stopped with SIGSTOP (phases b and d; default 5)
  --burst-clients N   closed-loop clients on a cached listing while Redis is frozen in phase d (default 16)
  --port-base P       first port on 127.0.0.1 (default 18500; uses P..P+3, P+10, P+11, P+20, P+21, P+30, P+31)
  --work DIR          build and scratch directory (default ${TMPDIR:-/tmp}/roster-faults)
  --results DIR       where faults-latest.md goes (default bench/results)
  --roster-jar PATH   use this prebuilt target/quarkus-app/quarkus-run.jar instead of building Roster
  --no-install        do not apt-get install missing tools
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --phase) PHASE=$2; shift 2 ;;
    --down) DOWN=$2; shift 2 ;;
    --freeze) FREEZE=$2; shift 2 ;;
    --burst-clients) BURST_CLIENTS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --roster-jar) ROSTER_JAR=$2; shift 2 ;;
    --no-install) NO_INSTALL=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "faults.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

# shellcheck source=resilience/common.sh
source "$BENCH_DIR/resilience/common.sh"

MONGO_PORT=$PORT_BASE
REDIS_PORT=$((PORT_BASE + 1))
HTTP=$((PORT_BASE + 10)) MGMT=$((PORT_BASE + 11))
REF_HTTP=$((PORT_BASE + 20)) REF_MGMT=$((PORT_BASE + 21))
PROXY_PORT=$((PORT_BASE + 2)) PROXY_CONTROL=$((PORT_BASE + 3))
B_HTTP=$((PORT_BASE + 30)) B_MGMT=$((PORT_BASE + 31))
BASE=http://127.0.0.1:$HTTP
B_BASE=http://127.0.0.1:$B_HTTP
ensure_tools
check_ports_free "$MONGO_PORT" "$REDIS_PORT" "$HTTP" "$MGMT" "$REF_HTTP" "$REF_MGMT" "$PROXY_PORT" "$PROXY_CONTROL" \
  "$B_HTTP" "$B_MGMT"

# ------------------------------------------------------------------------------------------------ build
prepare_roster
TOOLS_CP=$(tools_classpath "$WORK/src")
export ROSTER_TOKEN=$TOKEN

# ------------------------------------------------------------------------------------------------ servers
log "starting Redis :$REDIS_PORT, mongo-java-server :$MONGO_PORT (proxy :$PROXY_PORT), Roster :$HTTP (cache), :$REF_HTTP (cache off) and B :$B_HTTP"
start_redis "$REDIS_PORT"
start_mongo "$MONGO_PORT"
start_mongo_proxy "$PROXY_PORT" "$MONGO_PORT" "$PROXY_CONTROL"
COMMON=(-Dquarkus.mongodb.connection-string=mongodb://127.0.0.1:$MONGO_PORT
        -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT)
start_roster roster "$ROSTER_JAR" "$HTTP" "$MGMT" "${COMMON[@]}" -Droster.cache.key-prefix=faults
start_roster roster-nocache "$ROSTER_JAR" "$REF_HTTP" "$REF_MGMT" "${COMMON[@]}" \
  -Droster.cache.key-prefix=faults-nocache -Droster.cache.enabled=false
# B: the same cache (Redis, key prefix) as A, MongoDB through the proxy; a 2 s MongoDB read timeout, so that a
# swallowed reply becomes a 503 in 2 s (phases e and f; idle before them).
start_roster roster-b "$ROSTER_JAR" "$B_HTTP" "$B_MGMT" -Dquarkus.mongodb.connection-string=mongodb://127.0.0.1:$PROXY_PORT \
  -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT -Droster.cache.key-prefix=faults -Dquarkus.mongodb.read-timeout=2s
wait_ready roster "$MGMT"
wait_ready roster-nocache "$REF_MGMT"
wait_ready roster-b "$B_MGMT"
ROSTER_LOG=$LOGS/roster.log
B_LOG=$LOGS/roster-b.log

load_data() {
  "$BENCH_DIR/load-data.sh" --url "$BASE" --team SMALL --members 100 --prefix small_ >>"$LOGS/load-data.log" 2>&1 &&
  "$BENCH_DIR/load-data.sh" --url "$BASE" --team FAULTS --members 20 --prefix f_ >>"$LOGS/load-data.log" 2>&1
}
log "loading SMALL (100 members, read by the load) and FAULTS (20 members, written by the load)"
load_data || die "loading data failed (see $LOGS/load-data.log)"

prime() {  # every key the readers use, twice: stored, then a hit
  local i
  for _ in 1 2; do
    for i in $(seq 0 99); do curl -s -o /dev/null --max-time 5 "$BASE/members/small_$i" || true; done
    curl -s -o /dev/null --max-time 5 "$BASE/teams/SMALL/members" || true
  done
}
prime

# ------------------------------------------------------------------------------------------------ bookkeeping
PHASES=$WORK/phases.tsv CHECKS=$WORK/checks.tsv META=$WORK/meta.tsv CSV=$WORK/requests.csv EVENTS=$WORK/events.tsv
: >"$PHASES"; : >"$CHECKS"; : >"$META"; : >"$EVENTS"
WARN_LOGS=("$ROSTER_LOG")  # phases a-c: A only (B is idle); phases d-f: A and B
unavailable_warns() { cat "${WARN_LOGS[@]}" | grep -c 'Redis is unavailable' || true; }
all_warns() { cat "${WARN_LOGS[@]}" | grep -c ' WARN ' || true; }
P_NAME= P_FROM= P_U= P_W=
phase_begin() { P_NAME=$1; P_FROM=$(now_ms); P_U=$(unavailable_warns); P_W=$(all_warns); log "phase: $1"; }
phase_end() {  # phase_end [note]
  sleep 0.3  # let the log catch up
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$P_NAME" "$P_FROM" "$(now_ms)" "$(($(unavailable_warns) - P_U))" \
    "$(($(all_warns) - P_W))" "${1:-}" >>"$PHASES"
}
check() {  # check NAME EXPECTED OBSERVED PASS(0/1)
  local verdict=FAIL
  [[ $4 == 1 ]] && verdict=PASS
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$verdict" >>"$CHECKS"
  log "  check: $1: $3 ($verdict)"
}
# first_hit_after MS: seconds from MS to the first GET answered as a hit (or "never").
first_hit_after() {
  awk -F, -v t="$1" '$1 >= t && $2 != "write" && $5 == "hit" { printf "%.2f", ($1 - t) / 1000; found = 1; exit }
                     END { if (!found) printf "never" }' "$CSV"
}
# max_get_ms FROM TO / count_slow FROM TO LIMIT_MS
max_get_ms() { awk -F, -v a="$1" -v b="$2" '$1 >= a && $1 < b && $2 != "write" && $4 > m { m = $4 } END { printf "%.0f", m / 1000 }' "$CSV"; }
count_slow() { awk -F, -v a="$1" -v b="$2" -v l="$3" '$1 >= a && $1 < b && $2 != "write" && $4 > l * 1000 { n++ } END { print n + 0 }' "$CSV"; }

# probe METHOD PATH [curl args…]: prints "status seconds content-type retry-after" and keeps the body in probe.body
probe() {
  local method=$1 path=$2
  shift 2
  curl -s -X "$method" -D "$WORK/probe.headers" -o "$WORK/probe.body" --max-time 15 \
    -w '%{http_code} %{time_total}' "$@" "$BASE$path" || true
  printf ' %s %s\n' \
    "$(awk -F': ' 'tolower($1) == "content-type" { gsub("\r", "", $2); print $2 }' "$WORK/probe.headers" | head -1)" \
    "$(awk -F': ' 'tolower($1) == "retry-after" { gsub("\r", "", $2); print $2 }' "$WORK/probe.headers" | head -1)"
}
health() { curl -s -o "$WORK/health.body" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$MGMT/q/health/$1" || true; }
# The mongodb readiness check's data from the last health call: unreachable, reachable or reachable+indexes.
mongo_state() {
  python3 -c 'import json,sys; d=next(c for c in json.load(open(sys.argv[1]))["checks"] if c["name"]=="mongodb")["data"]
print(d["state"] + ("+indexes" if d.get("indexes") is True else ""))' "$WORK/health.body" 2>/dev/null || echo unknown
}

LOAD_ARGS=(--clients "$CLIENTS" --rate "$RATE" --team SMALL --prefix small_ --members 100
           --write-prefix f_ --write-team FAULTS --write-members 20 --write-rate 5)

# ------------------------------------------------------------------------------------------------ reference
log "reference: the same load against Roster with roster.cache.enabled=false for ${PHASE} s"
REF_CSV=$WORK/reference.csv
rm -f "$WORK/ref.stop"
REF_FROM=$(now_ms)
timeout $((PHASE + 60)) "$JAVA" "$BENCH_DIR/resilience/FaultLoad.java" load --url "http://127.0.0.1:$REF_HTTP" \
  --out "$REF_CSV" --stop-file "$WORK/ref.stop" --max-seconds "$((PHASE + 2))" "${LOAD_ARGS[@]}" \
  2>"$LOGS/load-reference.err" || die "reference load failed (see $LOGS/load-reference.err)"
printf '%s\t%s\t%s\t%s\t%s\t%s\n' "reference: cache off (other instance)" "$((REF_FROM + 2000))" "$(now_ms)" "-" "-" \
  "roster.cache.enabled=false: every GET reads MongoDB (the no-cache latency)" >>"$PHASES"
ref_hits=$(awk -F, '$5 == "hit" { n++ } END { print n + 0 }' "$REF_CSV")
check "reference: roster.cache.enabled=false bypasses the cache" "0 hits (Cache-Status fwd=bypass; detail=disabled)" "$ref_hits hits" \
  "$( ((ref_hits == 0)) && echo 1 || echo 0)"

# ------------------------------------------------------------------------------------------------ load
TOTAL=$((PHASE * 6 + DOWN * 2 + FREEZE + 180))
rm -f "$WORK/stop" "$WORK/stop.pause-writes"
log "steady load on Roster: $RATE req/s from $CLIENTS clients + 5 PUT/s (bounded to $TOTAL s)"
timeout "$TOTAL" "$JAVA" "$BENCH_DIR/resilience/FaultLoad.java" load --url "$BASE" --out "$WORK/main.csv" \
  --stop-file "$WORK/stop" --max-seconds "$TOTAL" "${LOAD_ARGS[@]}" 2>"$LOGS/load.err" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
sleep 4  # JIT warm-up of the load client, not measured
CSV=$WORK/main.csv

phase_begin "healthy (warm cache)"
sleep "$PHASE"
phase_end "baseline"

# ---- (a) Redis killed
phase_begin "a: Redis killed (SIGKILL)"
kill -9 "$(redis_pid "$REDIS_PORT")"
sleep "$DOWN"
phase_end "redis-server killed, connection refused"
start_redis "$REDIS_PORT"
RESTART_MS=$(now_ms)
phase_begin "a: after Redis restart"
sleep "$PHASE"
phase_end "a fresh, empty redis-server on the same port"
A_WARN=$(awk -F'\t' '$1 ~ /^a: / { n += $4 } END { print n + 0 }' "$PHASES")
check "a: WARN \"Redis is unavailable\" per outage" "1" "$A_WARN" "$([[ $A_WARN == 1 ]] && echo 1 || echo 0)"
A_RESTART_MS=$RESTART_MS

# ---- (b) Redis frozen
phase_begin "b: Redis frozen (SIGSTOP)"
FREEZE_FROM=$P_FROM
kill -STOP "$(redis_pid "$REDIS_PORT")"
sleep "$FREEZE"
phase_end "connections hang; roster.cache.redis-timeout=250ms"
FREEZE_TO=$(now_ms)
kill -CONT "$(redis_pid "$REDIS_PORT")"
CONT_MS=$(now_ms)
phase_begin "b: after SIGCONT"
sleep "$PHASE"
phase_end "the same redis-server, with its data"
B_WARN=$(awk -F'\t' '$1 ~ /^b: / { n += $4 } END { print n + 0 }' "$PHASES")
check "b: WARN \"Redis is unavailable\" per freeze" "1" "$B_WARN" "$([[ $B_WARN == 1 ]] && echo 1 || echo 0)"

# ---- (c) MongoDB stopped
prime
phase_begin "c: before (warm cache)"
sleep 5
phase_end "every key the readers use is cached"
phase_begin "c: MongoDB down (SIGKILL)"
C_FROM=$P_FROM
kill -9 "$MONGO_PID"
sleep 0.5
read -r st t ct ra < <(probe GET "/members/absent_$RANDOM")
check "c: GET of an uncached member" "503 problem+json with Retry-After within ~2 s" "$st in ${t} s, $ct, Retry-After: ${ra:-none}" \
  "$([[ $st == 503 && $ct == application/problem+json && -n $ra ]] && awk -v t="$t" 'BEGIN { exit !(t < 3) }' && echo 1 || echo 0)"
read -r st t ct ra < <(probe GET "/teams/NOPE_$RANDOM/members")
check "c: GET of an uncached team listing" "503 problem+json with Retry-After" "$st in ${t} s, $ct, Retry-After: ${ra:-none}" \
  "$([[ $st == 503 && $ct == application/problem+json && -n $ra ]] && echo 1 || echo 0)"
read -r st t ct ra < <(probe POST /members -H "@$WORK/auth.header" -H 'Content-Type: application/json' \
  -d '{"name":"created_while_down","team":"FAULTS"}')
check "c: POST while MongoDB is down" "503" "$st in ${t} s" "$([[ $st == 503 ]] && echo 1 || echo 0)"
ready=$(health ready); mongo_state=$(mongo_state); live=$(health live)
check "c: /q/health/ready and /q/health/live while MongoDB is down" "ready 200 UP with mongodb unreachable, live 200 UP" \
  "ready $ready ($mongo_state), live $live" \
  "$([[ $ready == 200 && $mongo_state == unreachable && $live == 200 ]] && echo 1 || echo 0)"
while (( $(now_ms) - C_FROM < DOWN * 1000 )); do sleep 0.2; done
phase_end "cached keys answer from Redis; the probes of the checks below ran here"
C_TO=$(now_ms)

phase_begin "c: MongoDB down, after a failed PUT of small_0"
C2_FROM=$P_FROM
read -r st t ct ra < <(probe PUT /members/small_0 -H "@$WORK/auth.header" -H 'Content-Type: application/json' \
  -d '{"team":"SMALL","role":"changed-while-down"}')
check "c: PUT while MongoDB is down" "503 problem+json with Retry-After" "$st in ${t} s, $ct, Retry-After: ${ra:-none}" \
  "$([[ $st == 503 && $ct == application/problem+json ]] && echo 1 || echo 0)"
read -r st t ct ra < <(probe GET /members/small_0)
check "c: GET of the member that PUT targeted" "not the new role (200 old role, or 503)" "$st, $(head -c 120 "$WORK/probe.body")" \
  "$(! grep -q changed-while-down "$WORK/probe.body" && [[ $st == 200 || $st == 503 ]] && echo 1 || echo 0)"
sleep 4
phase_end "a PUT of a cached member (small_0, team SMALL) answered 503"
C2_TO=$(now_ms)
C_MONGO_WARN=$(grep -cE 'MongoDB failed for|MongoDB is failing' "$ROSTER_LOG" || true)

phase_begin "c: MongoDB restarted, data reloaded"
RESTART_MS=$(now_ms)
touch "$WORK/stop.pause-writes"  # the restarted server is empty: no PUTs of f_* until FAULTS is reloaded
start_mongo "$MONGO_PORT"
ready_ms=never
for _ in $(seq 300); do
  if [[ $(health ready) == 200 && $(mongo_state) == reachable+indexes ]]; then ready_ms=$(($(now_ms) - RESTART_MS)); break; fi
  sleep 0.1
done
load_data || log "reloading data failed (see $LOGS/load-data.log)"
rm -f "$WORK/stop.pause-writes"
phase_end "an empty mongo-java-server on the same port; bench/load-data.sh reloads SMALL and FAULTS"
check "c: readiness UP after MongoDB returns" "UP within seconds" "$( [[ $ready_ms == never ]] && echo "not UP after 30 s" || echo "UP $ready_ms ms after the server process was started")" \
  "$([[ $ready_ms != never ]] && echo 1 || echo 0)"
phase_begin "c: after recovery"
sleep "$PHASE"
phase_end ""
dup1=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -H "@$WORK/auth.header" -H 'Content-Type: application/json' \
  -d '{"name":"dup_check","team":"FAULTS"}' "$BASE/members" || true)
dup2=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -H "@$WORK/auth.header" -H 'Content-Type: application/json' \
  -d '{"name":"dup_check","team":"FAULTS"}' "$BASE/members" || true)
check "c: same name created twice after MongoDB came back empty" "201 then 409 (unique index on name)" "$dup1 then $dup2" \
  "$([[ $dup1 == 201 && $dup2 == 409 ]] && echo 1 || echo 0)"

touch "$WORK/stop"
wait "$LOAD_PID" || log "load client exited with $?"

# ---- (d) Redis frozen under closed-loop clients on a cached listing, on A and B (the steady load has stopped)
WARN_LOGS=("$ROSTER_LOG" "$B_LOG")
for _ in 1 2; do
  curl -s -o /dev/null --max-time 5 "$BASE/teams/SMALL/members" || true
  curl -s -o /dev/null --max-time 5 "$B_BASE/teams/SMALL/members" || true
done
rm -f "$WORK/closed.stop"
log "phase d: $BURST_CLIENTS closed-loop clients on GET /teams/SMALL/members, half on A, half on B"
timeout $((FREEZE + 80)) "$JAVA" "$BENCH_DIR/resilience/FaultLoad.java" closed --urls "$BASE,$B_BASE" \
  --path /teams/SMALL/members --clients "$BURST_CLIENTS" --out "$WORK/closed.csv" --stop-file "$WORK/closed.stop" \
  --max-seconds $((FREEZE + 60)) 2>"$LOGS/load-closed.err" &
CLOSED_PID=$!
PIDS+=("$CLOSED_PID")
sleep 4  # JIT warm-up of the load client, not measured
phase_begin "d: $BURST_CLIENTS closed-loop clients, warm cache (A+B)"
sleep 3
phase_end "closed loop: each client sends its next GET when the previous one is answered"
phase_begin "d: Redis frozen (SIGSTOP), $BURST_CLIENTS closed-loop clients (A+B)"
D_FROM=$P_FROM
kill -STOP "$(redis_pid "$REDIS_PORT")"
D_STOP_MS=$(now_ms)
sleep "$FREEZE"
phase_end "the same listing, cached before the freeze"
D_TO=$(tail -1 "$PHASES" | cut -f3)
kill -CONT "$(redis_pid "$REDIS_PORT")"
D_CONT_MS=$(now_ms)
phase_begin "d: after SIGCONT ($BURST_CLIENTS clients, A+B)"
sleep 5
phase_end ""
touch "$WORK/closed.stop"
wait "$CLOSED_PID" || log "closed-loop client exited with $?"
cat "$REF_CSV" "$WORK/main.csv" "$WORK/closed.csv" >"$WORK/requests.csv"
# requests started while frozen: count, failures (not 2xx), p50/p99/max ms, over 1 s
read -r d_n d_fail d_p50 d_p99 d_max d_slow < <(awk -F, -v a="$D_FROM" -v b="$D_TO" \
  '$1 >= a && $1 < b { print $4, ($3 >= 200 && $3 < 300) ? 0 : 1 }' "$WORK/closed.csv" | sort -n | awk '
  { lat[NR] = $1; fail += $2; if ($1 > 1000000) slow++ }
  END { n = NR; if (n == 0) { print 0, 0, "-", "-", "-", 0; exit }
        i50 = int(0.5 * n + 0.999999); i99 = int(0.99 * n + 0.999999)
        printf "%d %d %.1f %.1f %.1f %d\n", n, fail, lat[i50] / 1000, lat[i99] / 1000, lat[n] / 1000, slow + 0 }')
check "d: failed GETs while Redis was frozen ($BURST_CLIENTS closed-loop clients)" "0" "$d_fail of $d_n" \
  "$( ((d_n > 0 && d_fail == 0)) && echo 1 || echo 0)"
check "d: p99 / max of GETs while frozen" "p99 well under 1 s (250 ms redis-timeout, +125 ms grace only after a stall)" \
  "p50 $d_p50 ms, p99 $d_p99 ms, max $d_max ms; $d_slow GETs over 1 s" \
  "$([[ $d_p99 != - ]] && awk -v p="$d_p99" 'BEGIN { exit !(p < 1000) }' && echo 1 || echo 0)"
hit=$(awk -F, -v t="$D_CONT_MS" '$1 >= t && $5 == "hit" { printf "%.2f", ($1 - t) / 1000; found = 1; exit }
                                 END { if (!found) printf "never" }' "$WORK/closed.csv")
check "d: first hit after SIGCONT" "a few seconds at most" "${hit} s" "$([[ $hit != never ]] && awk -v h="$hit" 'BEGIN { exit !(h < 5) }' && echo 1 || echo 0)"
# every GET of phase d slower than the 250 ms redis-timeout plus its 125 ms grace, for the report
D_SLOW=$WORK/closed-slow.txt
sort -t, -k1,1n "$WORK/closed.csv" | awk -F, -v a="$D_FROM" -v b="$D_TO" -v s="$D_STOP_MS" '$1 >= a && $1 < b && $4 > 375000 {
  printf "started %+d ms after SIGSTOP, %s, status %s, %.1f ms, Cache-Status: %s\n", $1 - s, $2, $3, $4 / 1000, $6 }' >"$D_SLOW"
d_over=$(wc -l <"$D_SLOW")
printf '%s\t%s\t%s\t%s\t%s\n' "3. Redis frozen ${FREEZE} s (SIGSTOP), $BURST_CLIENTS closed-loop clients on a cached listing (A+B)" \
  "$d_n" "n/a (the listing does not change)" "$d_fail" \
  "requests started while frozen; p50 $d_p50 ms, p99 $d_p99 ms, max $d_max ms; $d_over over 375 ms (250 ms redis-timeout + 125 ms grace), $d_slow over 1 s; first hit ${hit} s after SIGCONT" >>"$EVENTS"

# ---- (e) clients that leave mid-PUT, (f) lost write replies: writes through B (behind the proxy)
b_mongo_ready() {
  local code
  for _ in $(seq 300); do
    code=$(curl -s -o "$WORK/health.body" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$B_MGMT/q/health/ready" || true)
    [[ $code == 200 && $(mongo_state) == reachable* ]] && return 0
    sleep 0.1
  done
  return 1
}
b_mongo_ready || log "B does not report MongoDB reachable after 30 s"
# run_event MODE LABEL [args…]: one WriteFaults.java event; adds its row to events.tsv and its checks.
run_event() {
  local mode=$1 label=$2 out=$WORK/event-$1.tsv w0 rc
  shift 2
  w0=$(all_warns)
  rm -f "$out"
  set +e
  timeout 240 "$JAVA" -cp "$TOOLS_CP" "$BENCH_DIR/resilience/WriteFaults.java" "$mode" --a "$BASE" --b "$B_BASE" \
    --control "$PROXY_CONTROL" --mongo "mongodb://127.0.0.1:$MONGO_PORT/?serverSelectionTimeoutMS=5000" --out "$out" "$@" \
    >"$LOGS/event-$mode.out" 2>"$LOGS/event-$mode.err"
  rc=$?
  set -e
  local n stale fail details
  if ((rc != 0)) || [[ ! -s $out ]]; then
    tail -20 "$LOGS/event-$mode.err" >&2
    printf '%s\t-\t-\t1\t%s\n' "$label" "the event did not complete (exit $rc; see logs/event-$mode.err)" >>"$EVENTS"
    check "$label: completed" "exit 0" "exit $rc" 0
    return 0
  fi
  n=$(awk -F'\t' '$1 == "requests" { print $2 }' "$out")
  stale=$(awk -F'\t' '$1 == "stale" { print $2 }' "$out")
  fail=$(awk -F'\t' '$1 == "failures" { print $2 }' "$out")
  details="writes $(awk -F'\t' '$1 == "writes" { print $2 }' "$out"), views compared with MongoDB $(awk -F'\t' '$1 == "checked_reads" { print $2 }' "$out"); $(awk -F'\t' '$1 == "details" { print $2 }' "$out"); WARN lines (A+B) $(($(all_warns) - w0))"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$n" "$stale" "$fail" "$details" >>"$EVENTS"
  check "$label: stale reads" "0 (both instances serve what MongoDB holds)" "$stale" "$([[ $stale == 0 ]] && echo 1 || echo 0)"
  check "$label: failures" "0" "$fail" "$([[ $fail == 0 ]] && echo 1 || echo 0)"
}
log "phase e: clients leave mid-PUT (MongoDB's write replies held 1 s by the proxy)"
run_event disconnect "4. clients leave mid-PUT, MongoDB replies held 1 s (PUTs via B)" --members 12 --rounds 3 --delay-ms 1000
log "phase f: lost MongoDB write replies (swallowed by the proxy; B answers 503)"
run_event lost-reply "5. MongoDB write replies lost, B answers 503 (PUT and DELETE via B)" --members 8 --rounds 2

# ---- checks from the request log (after the load stopped, so no request is still in flight)
not_ok_gets() { awk -F, -v a="$1" -v b="$2" '$1 >= a && $1 < b && $2 != "write" && !($3 >= 200 && $3 < 400) { n++ } END { print n + 0 }' "$CSV"; }
hit=$(first_hit_after "$A_RESTART_MS")
check "a: first hit after Redis restart" "a few seconds at most" "${hit} s" "$([[ $hit != never ]] && awk -v h="$hit" 'BEGIN { exit !(h < 5) }' && echo 1 || echo 0)"
mx=$(max_get_ms "$FREEZE_FROM" "$FREEZE_TO")
slow=$(count_slow "$FREEZE_FROM" "$FREEZE_TO" 350)
check "b: slowest GET while frozen" "about 250 ms (redis-timeout), never seconds" "$mx ms; $slow GETs over 350 ms" \
  "$( ((mx < 1200)) && echo 1 || echo 0)"
hit=$(first_hit_after "$CONT_MS")
check "b: first hit after SIGCONT" "a few seconds at most" "${hit} s" "$([[ $hit != never ]] && awk -v h="$hit" 'BEGIN { exit !(h < 5) }' && echo 1 || echo 0)"
bad=$(not_ok_gets "$C_FROM" "$C_TO")
check "c: GETs of cached keys while MongoDB is down" "all answered (hit or stale), 0 errors" "$bad GETs not answered 2xx" "$( ((bad == 0)) && echo 1 || echo 0)"
bad=$(not_ok_gets "$C2_FROM" "$C2_TO")
check "c: GETs of cached keys after a failed PUT (MongoDB still down)" "all answered: the PUT changed nothing" "$bad GETs answered 503" "$( ((bad == 0)) && echo 1 || echo 0)"

# ------------------------------------------------------------------------------------------------ report
metric() { curl -s --max-time 5 "http://127.0.0.1:$MGMT/q/metrics" | awk -v n="$1" 'index($0, n) == 1 { s += $NF } END { printf "%.0f", s }'; }
{
  printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf 'command\t%s\n' "$COMMAND_LINE"
  printf 'Roster\t%s (prod profile, JWT for writes), checkout %s\n' "${ROSTER_JAR#"$REPO_DIR"/}" "$(checkout_line)"
  printf 'instances\tA (phases a-f; MongoDB direct), cache-off reference (reference phase), B (phases d-f; the same Redis and key prefix as A, MongoDB through bench/resilience/WriteFaults.java proxy, quarkus.mongodb.read-timeout=2s)\n'
  printf 'load\tFaultLoad.java: %s req/s paced over %s threads (JDK HttpClient, keep-alive), half GET /members/small_<0..99>, half GET /teams/SMALL/members (100 members), plus 5 PUT/s on team FAULTS (never read by the load)\n' "$RATE" "$CLIENTS"
  printf 'servers\t%s; mongo-java-server 1.47.0 (memory backend); JVM %s\n' "$(redis-server --version | awk '{print $1, $3}')" "$("$JAVA" -version 2>&1 | head -1)"
  printf 'machine\t%s\n' "$(machine_line)"
  printf 'Roster counters at the end\troster_cache_fallbacks_total %s, roster_cache_errors_total %s, "MongoDB failed for" / "MongoDB is failing" WARN lines during the MongoDB outage: %s\n' \
    "$(metric roster_cache_fallbacks_total)" "$(metric roster_cache_errors_total)" "$C_MONGO_WARN"
} >"$META"
"$JAVA" "$BENCH_DIR/resilience/FaultLoad.java" report --log "$WORK/requests.csv" --phases "$PHASES" --meta "$META" \
  --checks "$CHECKS" --events "$EVENTS" --out "$RESULTS_DIR/faults-latest.md"
{
  echo
  echo "Event 3 counts the requests started while Redis was stopped; events 4 and 5 count every request after their"
  echo "setup (cache warming, the writes, the reads compared with MongoDB, which is read directly, not through the"
  echo "proxy). A **stale read** is a member view, team listing or \`/teams\` row, on either instance, that differs"
  echo "from what MongoDB holds once the write's reply reached B (event 4: +200 ms; event 5: at once after the 503)."
  if [[ -s $D_SLOW ]]; then
    echo
    echo "Event 3: GETs slower than 375 ms (250 ms redis-timeout + 125 ms grace) among those started while Redis was"
    echo "stopped (listing-A / listing-B: the instance; the freeze began when \`kill -STOP\` returned):"
    echo
    echo '```'
    cat "$D_SLOW"
    echo '```'
  fi
  for mode in disconnect lost-reply; do
    if grep -qE $'^(stale_read|failure)\t' "$WORK/event-$mode.tsv" 2>/dev/null; then
      echo
      echo "Stale reads and failures reported by \`WriteFaults.java $mode\` (first 20 of each):"
      echo
      echo '```'
      grep -E $'^(stale_read|failure)\t' "$WORK/event-$mode.tsv"
      echo '```'
    fi
  done
} >>"$RESULTS_DIR/faults-latest.md"
cp "$ROSTER_LOG" "$WORK/roster-run.log"
log "results: $RESULTS_DIR/faults-latest.md (logs in $LOGS, requests in $WORK/requests.csv)"
