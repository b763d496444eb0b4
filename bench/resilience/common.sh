# Shared by bench/faults.sh, bench/soak.sh and bench/startup.sh (sourced, not run): logging, cleanup, tools,
# building Roster from a copy of the checkout, and starting Redis, the MongoDB wire-protocol server and Roster
# on 127.0.0.1. Every process started here is recorded and stopped by the EXIT trap (Redis by its pidfile,
# after a SIGCONT in case a fault left it stopped).
#
# The caller sets BENCH_DIR, REPO_DIR, WORK and RESULTS_DIR before sourcing, and may set JAVA. Sourcing creates
# both directories and a fresh WORK/logs (LOGS).

mkdir -p "$WORK" "$RESULTS_DIR"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
rm -rf "$LOGS"
mkdir -p "$LOGS"

JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
STARTED=$SECONDS
PIDS=()            # background processes to stop at exit
REDIS_PIDFILES=()  # redis-server instances (daemonized) to stop at exit
declare -A ROSTER_PID=()

log() { printf '[%4ds] %s\n' "$((SECONDS - STARTED))" "$*" >&2; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

stop_pid() {  # stop_pid PID [grace-seconds]: TERM, wait, KILL
  local pid=$1 grace=${2:-15} deadline
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? pid file
  trap - EXIT INT TERM
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do stop_pid "$pid" 15; done
  for file in ${REDIS_PIDFILES[@]+"${REDIS_PIDFILES[@]}"}; do
    if [[ -s "$file" ]]; then
      pid=$(cat "$file")
      kill -CONT "$pid" 2>/dev/null || true
      stop_pid "$pid" 5
      rm -f "$file"
    fi
  done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ensure_tools: installs redis-server/redis-cli/curl/openssl with apt-get when missing (unless NO_INSTALL=1).
ensure_tools() {
  local need=() tool
  for tool in redis-server:redis-server redis-cli:redis-tools curl:curl openssl:openssl; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
  done
  ((${#need[@]})) || return 0
  [[ ${NO_INSTALL:-0} == 1 ]] && die "missing tools (${need[*]})"
  log "installing ${need[*]} with apt-get"
  apt-get update -qq >"$LOGS/apt.log" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >>"$LOGS/apt.log" 2>&1 \
    || die "apt-get install ${need[*]} failed (see $LOGS/apt.log)"
}

check_ports_free() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port on 127.0.0.1 is in use; pick another --port-base"
    fi
  done
}

# copy_checkout DEST: this checkout without target/, .git and results (never build in the checkout itself).
copy_checkout() {
  local dest=$1
  mkdir -p "$dest"
  find "$dest" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
  tar -C "$REPO_DIR" --exclude=./target --exclude=./.git --exclude=./bench/results --exclude=./bench/work -cf - . \
    | tar -C "$dest" -xf -
  chmod +x "$dest/mvnw"
}

# build_roster SRC LOGFILE [maven args…]: ./mvnw package in SRC; the jar is SRC/target/quarkus-app/quarkus-run.jar.
build_roster() {
  local src=$1 logfile=$2
  shift 2
  (cd "$src" && ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true "$@") >"$logfile" 2>&1 \
    || { tail -40 "$logfile" >&2; die "Roster build failed (see $logfile)"; }
}

# prepare_roster: copies the checkout to WORK/src and builds Roster there, unless ROSTER_JAR names a prebuilt
# jar; then resolves mongo-java-server's classpath (MONGO_CP) and mints a writer token (TOKEN).
prepare_roster() {
  log "copying the checkout to $WORK/src"
  copy_checkout "$WORK/src"
  if [[ -z "$ROSTER_JAR" ]]; then
    log "building Roster (log: $LOGS/build.log)"
    build_roster "$WORK/src" "$LOGS/build.log"
    ROSTER_JAR=$WORK/src/target/quarkus-app/quarkus-run.jar
  else
    ROSTER_JAR=$(readlink -f "$ROSTER_JAR")
  fi
  MONGO_CP=$(mongo_classpath "$WORK/src")
  mint_token
}

# mongo_classpath SRC: mongo-java-server's runtime classpath, resolved by Roster's own build (cached in WORK).
mongo_classpath() {
  local src=$1 out=$WORK/mongo.classpath
  if [[ ! -s "$out" ]]; then
    (cd "$src" && ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$out" \
       -DincludeScope=compile -DincludeGroupIds=de.bwaldvogel,io.netty,org.slf4j \
       -DexcludeArtifactIds=slf4j-jboss-logmanager) >"$LOGS/classpath.log" 2>&1 \
      || { tail -20 "$LOGS/classpath.log" >&2; die "could not resolve mongo-java-server"; }
  fi
  cat "$out"
}

# start_redis PORT [--from-dump]: a non-persistent redis-server (no save points, no AOF) with its own directory,
# $WORK/redis-PORT (dump file dump.rdb there: an explicit SAVE writes it); its pid is in $WORK/redis-PORT.pid.
# Fresh and empty by default (any dump.rdb is removed first); with --from-dump it loads the dump.rdb a SAVE left.
start_redis() {
  local port=$1 pidfile=$WORK/redis-$1.pid dir=$WORK/redis-$1
  mkdir -p "$dir"
  if [[ ${2:-} == --from-dump ]]; then
    [[ -s $dir/dump.rdb ]] || die "start_redis $port --from-dump: no $dir/dump.rdb"
  else
    rm -f "$dir/dump.rdb"
  fi
  rm -f "$pidfile"
  redis-server --daemonize yes --pidfile "$pidfile" --bind 127.0.0.1 --port "$port" --save "" \
    --appendonly no --dir "$dir" --dbfilename dump.rdb --logfile "$LOGS/redis-$port.log" >/dev/null
  [[ " ${REDIS_PIDFILES[*]-} " == *" $pidfile "* ]] || REDIS_PIDFILES+=("$pidfile")
  for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
  redis-cli -p "$port" ping >/dev/null 2>&1 || die "Redis did not start on $port (see $LOGS/redis-$port.log)"
  for _ in $(seq 50); do [[ -s "$pidfile" ]] && break; sleep 0.05; done
}
redis_pid() { cat "$WORK/redis-$1.pid"; }

# start_mongo PORT: mongo-java-server (memory backend) via bench/servers/MongoWire.java; sets MONGO_PID.
# MONGO_WIRE_ARGS (e.g. --oplog, for change streams) is passed to MongoWire.
start_mongo() {
  local port=$1 mark
  mark=$( { wc -l <"$LOGS/mongo.log"; } 2>/dev/null || echo 0)
  (cd "$WORK" && exec "$JAVA" -Xmx"${MONGO_HEAP:-1g}" -cp "$MONGO_CP" "$BENCH_DIR/servers/MongoWire.java" "$port" ${MONGO_WIRE_ARGS:-} >>"$LOGS/mongo.log" 2>&1) &
  MONGO_PID=$!
  PIDS+=("$MONGO_PID")
  for _ in $(seq 300); do tail -n +"$((mark + 1))" "$LOGS/mongo.log" 2>/dev/null | grep -q listening && return 0; sleep 0.1; done
  die "mongo-java-server did not start (see $LOGS/mongo.log)"
}

# tools_classpath SRC: the MongoDB Java driver (sync) as Roster's build resolves it, for the bench's own tools
# (cached in WORK).
tools_classpath() {
  local src=$1 out=$WORK/tools.classpath
  if [[ ! -s "$out" ]]; then
    (cd "$src" && ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$out" \
       -DincludeScope=runtime -DincludeGroupIds=org.mongodb -DexcludeArtifactIds=mongodb-crypt) \
       >"$LOGS/tools-classpath.log" 2>&1 \
      || { tail -20 "$LOGS/tools-classpath.log" >&2; die "could not resolve the MongoDB driver"; }
  fi
  cat "$out"
}

# start_mongo_proxy LISTEN TARGET_PORT CONTROL: bench/resilience/WriteFaults.java proxy in front of the MongoDB
# server (replies to chosen commands can be held or swallowed through the control port); sets PROXY_PID.
start_mongo_proxy() {
  local listen=$1 target=$2 control=$3
  (exec "$JAVA" -Xmx128m -cp "$TOOLS_CP" "$BENCH_DIR/resilience/WriteFaults.java" proxy --listen "$listen" \
     --target "127.0.0.1:$target" --control "$control" >>"$LOGS/mongo-proxy.log" 2>&1) &
  PROXY_PID=$!
  PIDS+=("$PROXY_PID")
  for _ in $(seq 300); do grep -q listening "$LOGS/mongo-proxy.log" 2>/dev/null && return 0; sleep 0.1; done
  die "the MongoDB proxy did not start (see $LOGS/mongo-proxy.log)"
}

# start_roster NAME JAR HTTP_PORT MGMT_PORT [-D… options]: the packaged app (prod profile) in the background.
start_roster() {
  local name=$1 jar=$2 http=$3 mgmt=$4
  shift 4
  (cd "$WORK" && exec "$JAVA" -Xmx1g -XX:+UseG1GC \
     -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http" \
     -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$mgmt" \
     -Dmp.jwt.verify.publickey.location="$KEYS/publicKey.pem" -Dquarkus.log.console.json.enabled=false \
     "$@" -jar "$jar" >>"$LOGS/$name.log" 2>&1) &
  ROSTER_PID[$name]=$!
  PIDS+=("$!")
}

# wait_ready NAME MGMT_PORT: readiness UP within 120 s.
wait_ready() {
  local name=$1 mgmt=$2
  for _ in $(seq 600); do
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$mgmt/q/health/ready" 2>/dev/null && return 0
    kill -0 "${ROSTER_PID[$name]}" 2>/dev/null || { tail -30 "$LOGS/$name.log" >&2; die "$name exited at start"; }
    sleep 0.2
  done
  tail -30 "$LOGS/$name.log" >&2
  die "$name is not ready after 120 s"
}

# mint_token: a roster-writer JWT (bin/mint-token.sh) with a key pair made for this run; sets KEYS and TOKEN.
mint_token() {
  KEYS=$WORK/keys
  rm -rf "$KEYS"
  TOKEN=$("$REPO_DIR/bin/mint-token.sh" "$KEYS" 14400 2>/dev/null) || die "bin/mint-token.sh failed"
  printf 'Authorization: Bearer %s\n' "$TOKEN" >"$WORK/auth.header"
  chmod 600 "$WORK/auth.header"
}

machine_line() {
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

checkout_line() {
  local commit dirty
  commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git -C "$REPO_DIR" status --porcelain -- src pom.xml 2>/dev/null | wc -l)
  ((dirty)) && commit="$commit + $dirty uncommitted changes in src/ or pom.xml"
  echo "$commit"
}
