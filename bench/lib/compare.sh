# Shared by bench/ab-hits.sh and bench/run.sh (sourced, not run): the peer that is not Java (nginx proxy_cache in
# front of the stock body cache), and what every measured window records besides wrk's numbers: CPU time of the
# system's processes and of Redis (utime + stime from /proc/<pid>/stat), Redis commands by name (INFO
# commandstats after CONFIG RESETSTAT), and the bytes each system sends for the request (to refuse comparing rows
# that send different bytes).
#
# The caller defines log, die, LOGS, WORK and the array PIDS (processes stopped at exit).

CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# ensure_nginx INSTALL: sets NGINX to the nginx binary; installs Debian's nginx with apt-get when it is missing,
# INSTALL is 1 and this runs as root. Returns 1 (after saying why) when there is no nginx.
ensure_nginx() {
  local install=$1
  NGINX=$(command -v nginx || true)
  [[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
  [[ -n "$NGINX" ]] && return 0
  if [[ $install != 1 ]]; then
    log "nginx is not installed and --no-install was given: install it with 'apt-get install -y nginx'"
    return 1
  fi
  if [[ $(id -u) != 0 ]]; then
    log "nginx is not installed and this is not root: run 'sudo apt-get install -y nginx' first"
    return 1
  fi
  log "installing nginx with apt-get (Debian's package; its service is not started)"
  { apt-get update -qq || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; } >>"$LOGS/apt.log" 2>&1 \
    || { log "apt-get install -y nginx failed (see $LOGS/apt.log)"; return 1; }
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  [[ -x "$NGINX" ]]
}

# start_nginx DIR PORT UPSTREAM_PORT: nginx as a non-daemon child (its pid in NGINX_PID and DIR/nginx.pid), from
# a config written to DIR/nginx.conf: 2 workers, GET /teams/… proxied to http://127.0.0.1:UPSTREAM_PORT/body/teams/…
# (the stock body cache) over keep-alive connections, answers kept in proxy_cache for a day with proxy_cache_lock,
# keyed by URI and by whether the client accepts gzip (passed upstream as exactly "gzip" or nothing, so the cache
# holds the variant a client of either kind would get from the upstream itself), no access log.
start_nginx() {
  local dir=$1 port=$2 upstream=$3 user=
  rm -rf "$dir"
  mkdir -p "$dir/cache" "$dir/tmp"
  # as root, workers would switch to "nobody", who cannot write the cache under the work directory
  [[ $(id -u) == 0 ]] && user="user root;"
  cat >"$dir/nginx.conf" <<EOF
# Written by bench/lib/compare.sh for one benchmark run.
$user
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $LOGS/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  # sendfile for the cached files; no tcp_nopush: in a trial on loopback, answers of about 100 KB then stalled
  # for tens of milliseconds each (a Nagle and delayed-ACK pattern), which would cripple this peer
  sendfile on;
  keepalive_timeout 300s;
  keepalive_requests 100000000;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  proxy_cache_path $dir/cache levels=1:2 keys_zone=listings:10m max_size=4g inactive=1d use_temp_path=off;
  map \$http_accept_encoding \$bench_accept_encoding { "~*(^|[ ,])gzip([ ,;]|\$)" gzip; default ""; }
  upstream stock_body { server 127.0.0.1:$upstream; keepalive 32; }
  server {
    listen 127.0.0.1:$port;
    location /teams/ {
      proxy_pass http://stock_body/body/teams/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Accept-Encoding \$bench_accept_encoding;
      proxy_cache listings;
      proxy_cache_key "\$uri|\$bench_accept_encoding";
      proxy_cache_valid 200 1d;
      proxy_cache_lock on;
      add_header X-Cache \$upstream_cache_status always;
    }
  }
}
EOF
  "$NGINX" -t -e "$LOGS/nginx-error.log" -p "$dir" -c "$dir/nginx.conf" >>"$LOGS/nginx.log" 2>&1 \
    || { tail -5 "$LOGS/nginx.log" >&2; die "nginx rejected its config $dir/nginx.conf"; }
  ("$NGINX" -e "$LOGS/nginx-error.log" -p "$dir" -c "$dir/nginx.conf" >>"$LOGS/nginx.log" 2>&1) &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.1; done
  die "nginx did not listen on $port (see $LOGS/nginx-error.log)"
}

# nginx_pids: the nginx master and its workers.
nginx_pids() {
  echo "$NGINX_PID"
  ps -o pid= --ppid "$NGINX_PID" 2>/dev/null | tr -d ' ' || true
}

# cpu_ticks PID...: utime + stime of the processes (all threads), in clock ticks (1/CLK_TCK s).
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    # the command name (field 2) may hold spaces: count from after its closing parenthesis
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}

# ticks_to_us TICKS: microseconds.
ticks_to_us() { echo $(($1 * 1000000 / CLK_TCK)); }

redis_resetstat() { redis-cli -p "$1" config resetstat >/dev/null; }

# redis_commandstats PORT: "name=calls:usec,…" for every command Redis ran since the last CONFIG RESETSTAT, the
# benchmark's own (config, info) left out; "-" when none.
redis_commandstats() {
  redis-cli -p "$1" info commandstats | tr -d '\r' | awk -F'[:,=]' '
    /^cmdstat_/ { name = substr($1, 9); if (name ~ /^(config|info)([|]|$)/) next
                  out = out (out == "" ? "" : ",") name "=" $3 ":" $5 }
    END { print (out == "" ? "-" : out) }'
}

# response_signature URL ENCODING FILE_PREFIX: one GET (sending Accept-Encoding: gzip when ENCODING is gzip) and
# what it sent: "status content-encoding wire_bytes decoded_bytes sha256-of-decoded-body header_bytes".
response_signature() {
  local url=$1 encoding=$2 prefix=$3 accept=() out status wire headers enc decoded sha
  [[ $encoding == gzip ]] && accept=(-H 'Accept-Encoding: gzip')
  : >"$prefix.headers"; : >"$prefix.body"
  out=$(curl -s --max-time 120 ${accept[@]+"${accept[@]}"} -D "$prefix.headers" -o "$prefix.body" \
          -w '%{http_code} %{size_download} %{size_header}' "$url") || true
  read -r status wire headers <<<"$out"
  enc=$(tr -d '\r' <"$prefix.headers" | awk 'tolower($1) == "content-encoding:" { e = tolower($2) } END { print (e == "" ? "identity" : e) }')
  if [[ $enc == gzip ]]; then
    decoded=$(gzip -dc <"$prefix.body" 2>/dev/null | wc -c)
    sha=$(gzip -dc <"$prefix.body" 2>/dev/null | sha256sum | cut -c1-16)
  else
    decoded=$(wc -c <"$prefix.body")
    sha=$(sha256sum <"$prefix.body" | cut -c1-16)
  fi
  echo "${status:-000} ${enc:-none} ${wire:-0} ${decoded:-0} ${sha:--} ${headers:-0}"
}

# response_header FILE NAME: the value of a header in a curl -D file.
response_header() {
  tr -d '\r' <"$1" | awk -v n="$(tr '[:upper:]' '[:lower:]' <<<"$2"):" 'tolower($1) == n { sub(/^[^:]*: */, ""); print; exit }'
}

# WRK_BYTES_SCRIPT: a wrk script that only reports, at the end, the bytes and responses it read (no per-request
# Lua, so it costs nothing while measuring).
WRK_BYTES_SCRIPT=$WORK/wrk-bytes.lua
cat >"$WRK_BYTES_SCRIPT" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("wrk-bytes: %d bytes in %d responses\n", summary.bytes, summary.requests))
end
EOF

# parse_wrk FILE: "req_per_s p50_ms p99_ms errors requests bytes" (errors: socket errors plus non-2xx answers;
# bytes: everything read, headers included, from the report of WRK_BYTES_SCRIPT).
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000;
                     if (v ~ /s$/) return v * 1000; return v + 0 }
    /^ *50%/ { p50 = ms($2) } /^ *99%/ { p99 = ms($2) }
    / requests in / { req = $1 }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx/ { err += $5 }
    /^Requests\/sec/ { rps = $2 }
    /^wrk-bytes:/ { bytes = $2 }
    END { printf "%s %s %s %d %s %s\n", (rps == "" ? "-" : rps), (p50 == "" ? "-" : p50), (p99 == "" ? "-" : p99),
                 err, (req == "" ? 0 : req), (bytes == "" ? 0 : bytes) }
  ' "$1"
}
