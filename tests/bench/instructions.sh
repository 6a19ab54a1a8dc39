#!/usr/bin/env bash
# instructions.sh: the instructions graphgate executes per { __typename } request, counted by
# callgrind, for HTTP/2 (h2load, 16 connections x 16 streams) and HTTP/1.1 (h2load --h1, 16
# connections), optionally next to a baseline binary measured in the same run.
#
# Usage: tests/bench/instructions.sh [build dir (default: build)] [baseline graphgate binary] [requests (default: 20000)]
#
# Why instructions: on the shared 2-core machine requests/second swing by 2x with the other
# engineers' builds, and even CPU time per request moves by 10-20%; an instruction count does not
# move with the load, so a change of a few percent in what a request costs shows. It counts user
# space only (no system calls, no cache misses): a change it shows is real, but the kernel's share
# of a request (most of an HTTP/1.1 request's, whose reads and writes are per request) is not in it.
#
# Each server runs under valgrind --tool=callgrind with counting off, is warmed up (2,000 requests
# of each protocol), then counts the requests of one protocol at a time (callgrind_control -i on,
# -d after each load). h2o's HPACK encoder adds each second's new Date value to a connection's
# table and searches the table for every header, so its cost grows with how long a run lasts
# under valgrind (a slower build lasts longer): the HTTP/2 column is also printed without
# h2o_hpack_flatten_response, the number to compare. A benchmark measures: it never fails on a
# number, only when something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
baseline="${2:-}"
requests="${3:-20000}"
cd "$root"
bench_tools=(valgrind callgrind_control callgrind_annotate h2load curl)
source "$root/tests/bench/http_common.sh"
request='{"query":"{ __typename }"}'
printf '%s' "$request" >"$tmp/body.json"

load() { # url, protocol (h2|h1), requests: runs the load, fails unless every request succeeded
  local flags=(-c16 -m16)
  [ "$2" = h1 ] && flags=(--h1 -c16 -m1)
  local out
  out=$(h2load "${flags[@]}" -t1 -n "$3" -d "$tmp/body.json" -H 'content-type: application/json' "$1")
  echo "$out" | grep -q "^requests: $3 total, $3 started, $3 done, $3 succeeded" ||
    { echo "instructions.sh: not every request succeeded:" >&2; echo "$out" >&2; exit 1; }
}

# Prints "HTTP/2 instructions, HTTP/2 without HPACK encoding, HTTP/1.1 instructions" per request.
measure() { # name, binary
  local name="$1" binary="$2" port pid
  port=$(free_port)
  cat >"$tmp/$name.json" <<JSON
{"listen": "127.0.0.1:$port", "threads": 1, "access_log": false,
 "schema": ["$root/conf/example/schema.graphql"]}
JSON
  GRAPHGATE_AUTH_DEFAULT_MODE=NONE valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$tmp/$name.%p" "$binary" -c "$tmp/$name.json" 2>"$tmp/$name.log" &
  pid=$!
  pids+=("$pid")
  local url="http://127.0.0.1:$port/graphql"
  for _ in $(seq 300); do
    curl -s -o /dev/null -H 'content-type: application/json' --data-binary "$request" "$url" && break
    sleep 0.2
  done
  load "$url" h2 2000
  load "$url" h1 2000
  callgrind_control -i on "$pid" >/dev/null 2>&1
  load "$url" h2 "$requests"
  callgrind_control -d "$pid" >/dev/null 2>&1
  load "$url" h1 "$requests"
  callgrind_control -d "$pid" >/dev/null 2>&1
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  local h2 h1 hpack
  h2=$(awk '/^totals:/ {print $2}' "$tmp/$name.$pid.1")
  h1=$(awk '/^totals:/ {print $2}' "$tmp/$name.$pid.2")
  hpack=$(callgrind_annotate --inclusive=yes "$tmp/$name.$pid.1" 2>/dev/null |
    awk '/h2o_hpack_flatten_response/ {gsub(",", "", $1); print $1; exit}')
  echo "$((h2 / requests)) $(((h2 - ${hpack:-0}) / requests)) $((h1 / requests))"
}

names=(graphgate)
declare -A result
result[graphgate]=$(measure graphgate "$build/server/graphgate")
if [ -n "$baseline" ]; then
  names=(baseline graphgate)
  result[baseline]=$(measure baseline "$baseline")
fi

pct() { [ "$2" -gt 0 ] && echo "$(($1 * 100 / $2))%" || echo "n/a"; }
printf '\n{ __typename } POST, instructions per request (callgrind, %s requests each)\n' "$requests"
printf '%-10s %12s %24s %12s\n' "" "HTTP/2" "HTTP/2 without HPACK" "HTTP/1.1"
for n in "${names[@]}"; do
  read -r h2 h2_rest h1 <<<"${result[$n]}"
  printf '%-10s %12s %24s %12s\n' "$n" "$h2" "$h2_rest" "$h1"
done
if [ -n "$baseline" ]; then
  read -r b2 b2_rest b1 <<<"${result[baseline]}"
  read -r g2 g2_rest g1 <<<"${result[graphgate]}"
  printf '%-10s %12s %24s %12s\n' "ratio" "$(pct "$g2" "$b2")" "$(pct "$g2_rest" "$b2_rest")" "$(pct "$g1" "$b1")"
  echo "baseline: $baseline"
fi
