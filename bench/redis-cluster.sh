#!/usr/bin/env bash
# Runs the cache and resource tests against a local 3-master Redis Cluster (issue #8).
#   bash bench/redis-cluster.sh            # start cluster, run the tests, stop it
#   bash bench/redis-cluster.sh --keep     # leave the cluster running (ports 7100-7102)
# Needs apt's redis-server/redis-tools (installed when missing). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
PORTS=(7100 7101 7102)
WORK="${TMPDIR:-/tmp}/roster-redis-cluster"
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt-get install -y redis-server redis-tools

stop() {
  for p in "${PORTS[@]}"; do
    [[ -f "$WORK/$p/redis.pid" ]] && kill "$(cat "$WORK/$p/redis.pid")" 2>/dev/null || true
  done
}
[[ "${1:-}" == "--keep" ]] || trap stop EXIT

stop; rm -rf "$WORK"
for p in "${PORTS[@]}"; do
  mkdir -p "$WORK/$p"
  redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$WORK/$p/nodes.conf" \
    --dir "$WORK/$p" --save "" --appendonly no --daemonize yes --pidfile "$WORK/$p/redis.pid" \
    --logfile "$WORK/$p/redis.log"
done
for p in "${PORTS[@]}"; do
  for _ in $(seq 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
redis-cli --cluster create 127.0.0.1:7100 127.0.0.1:7101 127.0.0.1:7102 --cluster-replicas 0 --cluster-yes >/dev/null
for _ in $(seq 100); do
  [[ "$(redis-cli -p 7100 cluster info | grep -c 'cluster_state:ok')" == 1 ]] && break; sleep 0.1
done
redis-cli -p 7100 cluster info | grep -E 'cluster_state|cluster_slots_assigned'

HOSTS="redis://127.0.0.1:7100,redis://127.0.0.1:7101,redis://127.0.0.1:7102"
./mvnw -B -ntp test -Dspotless.check.skip=true \
  -Dtest='ResultCacheTest,SingleFlightTest,CacheEvictionTest,CacheAdminTest,MemberResourceTest,TeamResourceTest,ConcurrentWritesTest' \
  -Dquarkus.redis.hosts="$HOSTS" -Dquarkus.redis.client-type=cluster
