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
# ratio, and each server's CPU time per request (from /proc: less disturbed than the rates when
# other work shares the machine); the target is metrics on >= 98% of metrics off. A benchmark measures: it never fails on a
# number, only when something cannot run. Servers listen on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-10}"
rounds="${3:-3}"
cd "$root"
bench_tools=(wrk h2load taskset curl)
source "$root/tests/bench/http_common.sh"

declare -A port server_pid
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
  server_pid[$mode]=$!
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
cpu_us() { python3 "$root/tests/bench/proc_cpu.py" process "${server_pid[$1]}"; }
# One run: prints "requests/s CPU-ns-per-request" of the server of mode $1 under tool $2 (wrk, h2load).
measure() {
  local mode=$1 tool=$2 url="http://127.0.0.1:${port[$1]}/graphql" cpu0 cpu1 rps
  cpu0=$(cpu_us "$mode")
  if [ "$tool" = wrk ]; then
    taskset -c "$client_cpu" wrk -t1 -c64 -d"${seconds}s" -s "$tmp/post.lua" "$url" >"$tmp/run.out" &
  else
    taskset -c "$client_cpu" h2load -c16 -m16 -t1 -D "$seconds" -d "$tmp/body.json" \
      -H 'content-type: application/json' "$url" >"$tmp/run.out" &
  fi
  local load=$!
  [ "$mode" = on ] && scrape_while "$load" >/dev/null &
  wait "$load"
  cpu1=$(cpu_us "$mode")
  if [ "$tool" = wrk ]; then
    rps=$(awk '/^Requests\/sec/ {print int($2)}' "$tmp/run.out")
  else
    rps=$(awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($(i) ~ /req\/s/) {v = $(i - 1); sub(/,/, "", v); print int(v)}}' \
      "$tmp/run.out")
  fi
  echo "${rps:-0} $(((cpu1 - cpu0) * 1000 / (${rps:-0} * seconds + 1)))"
}
best() { [ "${1:-0}" -gt "${2:-0}" ] && echo "$1" || echo "${2:-0}"; }
least() { [ "${2:-0}" = 0 ] || [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }

declare -A rate cpu
for key in on_wrk off_wrk on_h2load off_h2load; do rate[$key]=0 cpu[$key]=0; done
for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  if [ $((r % 2)) = 1 ]; then order=(on off); else order=(off on); fi # neither always goes first
  for tool in wrk h2load; do
    for mode in "${order[@]}"; do
      read -r v c < <(measure "$mode" "$tool")
      rate[${mode}_$tool]=$(best "$v" "${rate[${mode}_$tool]}")
      cpu[${mode}_$tool]=$(least "$c" "${cpu[${mode}_$tool]}")
    done
  done
done

# The counters saw the load: the sanity check that the "on" server really counted.
counted=$(curl -s "$metrics_url" | awk '$1 == "graphgate_graphql_requests_total{operation=\"query\",status=\"200\"}" {print $2}')
[ "${counted:-0}" -gt 0 ] || { echo "metrics.sh: the metrics server counted no query" >&2; exit 1; }

pct() { [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f%%", a * 100 / b}' || echo "n/a"; }
printf '\n%-28s %14s %14s %8s %16s %16s\n' "{ __typename } POST" "metrics on" "metrics off" "ratio" "CPU/req on" "CPU/req off"
for tool in wrk h2load; do
  label=$([ "$tool" = wrk ] && echo "HTTP/1.1 keep-alive (wrk)" || echo "HTTP/2 h2c (h2load)")
  printf '%-28s %14s %14s %8s %16s %16s\n' "$label" "${rate[on_$tool]} req/s" "${rate[off_$tool]} req/s" \
    "$(pct "${rate[on_$tool]}" "${rate[off_$tool]}")" "${cpu[on_$tool]} ns" "${cpu[off_$tool]} ns"
done
echo "queries counted by the metrics server: $counted (scraped once a second during its runs)"
echo "CPU/req: the server's user+system CPU time per request (/proc), the least of the rounds"
echo "servers on CPU $server_cpu (1 thread each), load generators on CPU $client_cpu; target: metrics on >= 98% of off"

# Instructions per request, which other work on the machine does not disturb: each server under
# callgrind answers 2,000 then 22,000 requests; the difference of the totals over 20,000 leaves
# start-up and shutdown out. User-space instructions only (the kernel's share of a request, about
# a third here, is the same with and without metrics).
command -v valgrind >/dev/null || { echo "valgrind missing: instructions per request not measured"; exit 0; }
instructions() { # enabled requests
  local p out="$tmp/callgrind.$1.$2"
  p=$(free_port)
  GRAPHGATE_LISTEN="127.0.0.1:$p" GRAPHGATE_THREADS=1 GRAPHGATE_METRICS_ENABLED="$1" GRAPHGATE_AUTH_DEFAULT_MODE=NONE \
    GRAPHGATE_ACCESS_LOG=false valgrind --tool=callgrind --callgrind-out-file="$out" "$build/server/graphgate" \
    -c "$tmp/on.json" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$p/healthz" && break; sleep 0.2; done
  h2load -n "$2" -c4 -m8 -t1 -d "$tmp/body.json" -H 'content-type: application/json' "http://127.0.0.1:$p/graphql" >/dev/null
  kill -TERM "$pid"
  wait "$pid" || true
  awk '/^summary:/ {print $2; exit}' "$out"
}
on_ir=$(( ($(instructions true 22000) - $(instructions true 2000)) / 20000 ))
off_ir=$(( ($(instructions false 22000) - $(instructions false 2000)) / 20000 ))
printf '\n%-28s %14s %14s %8s\n' "instructions per request" "$on_ir" "$off_ir" "$(awk -v a="$on_ir" -v b="$off_ir" 'BEGIN {printf "%+.1f%%", (a - b) * 100 / b}')"
