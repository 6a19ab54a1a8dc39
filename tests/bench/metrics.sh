#!/usr/bin/env bash
# metrics.sh: what the Prometheus metrics cost: graphgate with metrics.enabled true and false, in the
# same run.
#
# Usage: tests/bench/metrics.sh [build dir (default: build)] [seconds per run (default: 10)] [rounds (default: 3)]
#
# Two graphgate servers with the same configuration but metrics.enabled answer POST /graphql
# {"query":"{ __typename }"}: the cheapest request there is, so the fixed cost of counting (the
# operation type noted, the request logger, the errorType scan, a histogram observation) weighs the
# most. Each server runs one event-loop thread pinned to CPU 0, the load generators are pinned to
# CPU 1: wrk for HTTP/1.1 keep-alive (64 connections), h2load for HTTP/2 with prior knowledge
# (16 connections x 16 streams). The access log is off on both. While the metrics server is
# measured, /metrics is scraped once a second (a Prometheus scrapes every 15 s or so). The servers
# take turns for several rounds and the best round of each counts. Prints requests/second and the
# ratio; the target is metrics on >= 98% of metrics off. A benchmark measures: it never fails on a
# number, only when something cannot run. Servers listen on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-10}"
rounds="${3:-3}"
cd "$root"
bench_tools=(wrk h2load taskset curl)
source "$root/tests/bench/http_common.sh"
request='{"query":"{ __typename }"}'
response='{"data":{"__typename":"Query"}}'
printf '%s' "$request" >"$tmp/body.json"
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$request'
wrk.headers["Content-Type"] = "application/json"
LUA

declare -A port
for mode in on off; do
  port[$mode]=$(free_port)
  enabled=$([ "$mode" = on ] && echo true || echo false)
  cat >"$tmp/$mode.json" <<JSON
{"listen": "127.0.0.1:${port[$mode]}", "threads": 1, "access_log": false, "metrics": {"enabled": $enabled},
 "schema": ["$root/conf/example/schema.graphql"]}
JSON
  GRAPHGATE_AUTH_DEFAULT_MODE=NONE taskset -c "$server_cpu" "$build/server/graphgate" -c "$tmp/$mode.json" \
    2>"$tmp/$mode.log" &
  pids+=($!)
done

for mode in on off; do
  url="http://127.0.0.1:${port[$mode]}/graphql"
  for _ in $(seq 50); do
    curl -s -o /dev/null -H 'content-type: application/json' --data-binary "$request" "$url" && break
    sleep 0.1
  done
  got=$(curl -s -H 'content-type: application/json' --data-binary "$request" "$url" || true)
  [ "$got" = "$response" ] || { echo "metrics.sh: $url answered '$got', expected '$response'" >&2; cat "$tmp"/*.log >&2; exit 1; }
done
metrics_url="http://127.0.0.1:${port[on]}/metrics"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[off]}/metrics")" = 404 ] ||
  { echo "metrics.sh: the server with metrics.enabled false serves /metrics" >&2; exit 1; }

# Scrapes /metrics once a second while $1 (a pid) runs.
scrape_while() { while kill -0 "$1" 2>/dev/null; do curl -s -o /dev/null "$metrics_url"; sleep 1; done; }
wrk_rps() { # mode
  taskset -c "$client_cpu" wrk -t1 -c64 -d"${seconds}s" -s "$tmp/post.lua" "http://127.0.0.1:${port[$1]}/graphql" \
    >"$tmp/run.out" &
  local load=$!
  [ "$1" = on ] && scrape_while "$load" >/dev/null &
  wait "$load"
  awk '/^Requests\/sec/ {print int($2)}' "$tmp/run.out"
}
h2load_rps() { # mode
  taskset -c "$client_cpu" h2load -c16 -m16 -t1 -D "$seconds" -d "$tmp/body.json" -H 'content-type: application/json' \
    "http://127.0.0.1:${port[$1]}/graphql" >"$tmp/run.out" &
  local load=$!
  [ "$1" = on ] && scrape_while "$load" >/dev/null &
  wait "$load"
  awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($(i) ~ /req\/s/) {v = $(i - 1); sub(/,/, "", v); print int(v)}}' \
    "$tmp/run.out"
}
best() { [ "${1:-0}" -gt "${2:-0}" ] && echo "$1" || echo "${2:-0}"; }

on_h1=0 on_h2=0 off_h1=0 off_h2=0
for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  if [ $((r % 2)) = 1 ]; then order=(on off); else order=(off on); fi # neither always goes first
  for mode in "${order[@]}"; do
    v=$(wrk_rps "$mode")
    if [ "$mode" = on ]; then on_h1=$(best "$v" "$on_h1"); else off_h1=$(best "$v" "$off_h1"); fi
    v=$(h2load_rps "$mode")
    if [ "$mode" = on ]; then on_h2=$(best "$v" "$on_h2"); else off_h2=$(best "$v" "$off_h2"); fi
  done
done

# The counters saw the load: the sanity check that the "on" server really counted.
counted=$(curl -s "$metrics_url" | awk '$1 == "graphgate_graphql_requests_total{operation=\"query\",status=\"200\"}" {print $2}')
[ "${counted:-0}" -gt 0 ] || { echo "metrics.sh: the metrics server counted no query" >&2; exit 1; }

pct() { [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f%%", a * 100 / b}' || echo "n/a"; }
printf '\n%-28s %14s %14s %8s\n' "{ __typename } POST" "metrics on" "metrics off" "ratio"
printf '%-28s %14s %14s %8s\n' "HTTP/1.1 keep-alive (wrk)" "$on_h1 req/s" "$off_h1 req/s" "$(pct "$on_h1" "$off_h1")"
printf '%-28s %14s %14s %8s\n' "HTTP/2 h2c (h2load)" "$on_h2 req/s" "$off_h2 req/s" "$(pct "$on_h2" "$off_h2")"
echo "queries counted by the metrics server: $counted (scraped once a second during its runs)"
echo "servers on CPU $server_cpu (1 thread each), load generators on CPU $client_cpu; target: metrics on >= 98% of off"
