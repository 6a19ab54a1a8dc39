#!/usr/bin/env bash
# http.sh: graphgate's HTTP throughput next to h2o's standalone server, in the same run.
#
# Usage: tests/bench/http.sh [build dir (default: build)] [seconds per run (default: 10)] [rounds (default: 2)]
#
# Both servers answer POST /graphql {"query":"{ __typename }"} with the same 32-byte JSON body:
# graphgate parses the request, finds the document in its cache and executes it; h2o (Debian's
# h2o 2.2.5, the same library graphgate links) answers from an mruby handler with a fixed body.
# Each server runs one event-loop thread pinned to CPU 0, the load generators are pinned to
# CPU 1: wrk for HTTP/1.1 keep-alive (64 connections), h2load for HTTP/2 with prior knowledge
# (16 connections x 16 streams). graphgate's access log is off, as h2o's is. The servers take
# turns for several rounds and the best round of each counts. Prints requests/second and the
# ratio; the target is graphgate >= 70% of h2o. A benchmark measures: it never fails on a number,
# only when something cannot run. Servers listen on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-10}"
rounds="${3:-2}"
cd "$root"
bench_tools=(wrk h2load h2o taskset curl)
source "$root/tests/bench/http_common.sh"

gg_port=$(free_port)
cat >"$tmp/graphgate.json" <<JSON
{"listen": "127.0.0.1:$gg_port", "threads": 1, "access_log": false,
 "schema": ["$root/conf/example/schema.graphql"]}
JSON
GRAPHGATE_AUTH_DEFAULT_MODE=NONE taskset -c "$server_cpu" "$build/server/graphgate" -c "$tmp/graphgate.json" 2>"$tmp/graphgate.log" &
pids+=($!)

h2o_port=$(free_port)
cat >"$tmp/h2o.conf" <<CONF
listen:
  host: 127.0.0.1
  port: $h2o_port
num-threads: 1
hosts:
  default:
    paths:
      /graphql:
        mruby.handler: |
          Proc.new do |env|
            [200, {"content-type" => "application/json; charset=utf-8"}, ['$response']]
          end
CONF
taskset -c "$server_cpu" h2o -c "$tmp/h2o.conf" >"$tmp/h2o.log" 2>&1 &
pids+=($!)

for url in "http://127.0.0.1:$gg_port/graphql" "http://127.0.0.1:$h2o_port/graphql"; do
  for _ in $(seq 50); do
    curl -s -o /dev/null -H 'content-type: application/json' --data-binary "$request" "$url" && break
    sleep 0.1
  done
  got=$(curl -s -H 'content-type: application/json' --data-binary "$request" "$url" || true)
  [ "$got" = "$response" ] || { echo "http.sh: $url answered '$got', expected '$response'" >&2; cat "$tmp"/*.log >&2; exit 1; }
done

wrk_rps() { taskset -c "$client_cpu" wrk -t1 -c64 -d"${seconds}s" -s "$tmp/post.lua" "$1" | awk '/^Requests\/sec/ {print int($2)}'; }
h2load_rps() {
  taskset -c "$client_cpu" h2load -c16 -m16 -t1 -D "$seconds" -d "$tmp/body.json" -H 'content-type: application/json' "$1" |
    awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($(i) ~ /req\/s/) {v = $(i - 1); sub(/,/, "", v); print int(v)}}'
}
best() { [ "${1:-0}" -gt "${2:-0}" ] && echo "$1" || echo "${2:-0}"; }

gg_h1=0 gg_h2=0 h2o_h1=0 h2o_h2=0
for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  gg_h1=$(best "$(wrk_rps "http://127.0.0.1:$gg_port/graphql")" "$gg_h1")
  h2o_h1=$(best "$(wrk_rps "http://127.0.0.1:$h2o_port/graphql")" "$h2o_h1")
  gg_h2=$(best "$(h2load_rps "http://127.0.0.1:$gg_port/graphql")" "$gg_h2")
  h2o_h2=$(best "$(h2load_rps "http://127.0.0.1:$h2o_port/graphql")" "$h2o_h2")
done

pct() { [ "$2" -gt 0 ] && echo "$(( $1 * 100 / $2 ))%" || echo "n/a"; }
printf '\n%-28s %14s %14s %8s\n' "{ __typename } POST" "graphgate" "h2o (mruby)" "ratio"
printf '%-28s %14s %14s %8s\n' "HTTP/1.1 keep-alive (wrk)" "$gg_h1 req/s" "$h2o_h1 req/s" "$(pct "$gg_h1" "$h2o_h1")"
printf '%-28s %14s %14s %8s\n' "HTTP/2 h2c (h2load)" "$gg_h2 req/s" "$h2o_h2 req/s" "$(pct "$gg_h2" "$h2o_h2")"
echo "servers on CPU $server_cpu (1 thread each), load generators on CPU $client_cpu; target: graphgate >= 70% of h2o"
