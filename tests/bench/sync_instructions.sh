#!/usr/bin/env bash
# sync_instructions.sh: the instructions graphgate executes per syncPosts(limit: 1000) base page
# (datastore.sh's sync-base-1000 workload), counted by callgrind, for a build and optionally a
# baseline build in the same run, with the functions that cost the most.
#
# Usage: tests/bench/sync_instructions.sh [build dir (default: build)] [baseline build dir] [pages (default: 20)]
#
# Why: datastore.sh's rate ratio moves by tens of points on the shared 2-core machine; instruction
# counts do not move with the load (user space only: the kernel's share of a page is not in them).
# Each graphgate runs under valgrind --tool=callgrind (threads 1, pool of 1) on datastore.sh's app
# and data (tests/bench/datastore/), answers three pages to warm up, then exactly N pages between
# callgrind_control -z and --dump; every answer is checked (status 200, 1,000 items, no errors),
# and the builds' answers must be equal apart from startedAt and the nextToken that carries it.
# A benchmark measures: it never fails on a number, only when something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
baseline="${2:-}"
pages="${3:-20}"
cd "$root"
for tool in valgrind callgrind_control callgrind_annotate psql python3 curl; do
  command -v "$tool" >/dev/null || { echo "sync_instructions.sh: $tool missing" >&2; exit 1; }
done
builds=("$build")
[ -z "$baseline" ] || builds=("$baseline" "$build")
for b in "${builds[@]}"; do
  [ -f "$b/build.ninja" ] || meson setup "$b" --buildtype=release >/dev/null
  ninja -C "$b" server/graphgate >/dev/null
done
free_port() { python3 "$root/tests/bench/proc_cpu.py" free-port; }
tmp="$(mktemp -d)"
pgdir="$build/bench-sync-instr-pg"
gg_pid=""
cleanup() {
  [ -z "$gg_pid" ] || { kill -TERM "$gg_pid" 2>/dev/null && wait "$gg_pid" 2>/dev/null || true; }
  bash scripts/pg-local.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

pg_port=$(free_port)
bash scripts/pg-local.sh start "$pgdir" "$pg_port" test
db_url="$(bash scripts/pg-local.sh url "$pgdir" "$pg_port")"
bench="$root/tests/bench/datastore"
gg_port=$(free_port)
cat >"$tmp/graphgate.json" <<JSON
{"listen": "127.0.0.1:$gg_port", "threads": 1, "access_log": false,
 "schema": ["$bench/schema.graphql"], "database": {"pool_size": 1}}
JSON
export GRAPHGATE_DATASTORE_CONFLICT_DETECTION=VERSION GRAPHGATE_DATASTORE_CONFLICT_HANDLER=OPTIMISTIC_CONCURRENCY
export GRAPHGATE_DATASTORE_MODELS='{"Note": {"conflict_detection": "NONE"}}'
export GRAPHGATE_DATASTORE_DELTA_TTL_MIN=1440 GRAPHGATE_DATASTORE_PURGE_INTERVAL_S=0
export GRAPHGATE_DATABASE_URL="$db_url" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
"${builds[0]}/server/graphgate" migrate -c "$tmp/graphgate.json" >/dev/null
psql -q "$db_url" -v ON_ERROR_STOP=1 -v posts=10000 -f "$bench/seed.sql"

# The client: N pages over one keep-alive connection, each answer checked; the last one is kept
# (without startedAt and nextToken) to compare the builds.
cat >"$tmp/client.py" <<'PY'
import http.client, json, re, sys
port, query_file, count, keep = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
body = json.dumps({'query': open(query_file).read()})
conn = http.client.HTTPConnection('127.0.0.1', port, timeout=600)
for _ in range(count):
    conn.request('POST', '/graphql', body, {'content-type': 'application/json'})
    r = conn.getresponse()
    text = r.read()
    answer = json.loads(text)
    items = ((answer.get('data') or {}).get('syncPosts') or {}).get('items')
    if r.status != 200 or 'errors' in answer or items is None or len(items) != 1000:
        sys.exit('unexpected answer %d %r' % (r.status, text[:300]))
open(keep, 'wb').write(re.sub(rb'"(startedAt|nextToken)":("[^"]*"|[0-9]+)', b'', text))
PY

measure() { # build label: prints instructions per page
  local b=$1 label=$2 log="$tmp/$2.log"
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/$label.cg.%p" \
    "$b/server/graphgate" -c "$tmp/graphgate.json" 2>"$log" &
  gg_pid=$!
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gg_port/readyz" || true)" = 200 ] && break
    kill -0 "$gg_pid" 2>/dev/null || { echo "sync_instructions.sh: graphgate exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  python3 "$tmp/client.py" "$gg_port" "$bench/sync_base.graphql" 3 "$tmp/$label.answer"
  callgrind_control -z "$gg_pid" >/dev/null 2>&1
  callgrind_control -i on "$gg_pid" >/dev/null 2>&1
  python3 "$tmp/client.py" "$gg_port" "$bench/sync_base.graphql" "$pages" "$tmp/$label.answer"
  callgrind_control --dump=pages "$gg_pid" >/dev/null 2>&1
  callgrind_control -i off "$gg_pid" >/dev/null 2>&1
  kill -TERM "$gg_pid"
  wait "$gg_pid" || true
  gg_pid=""
  local file
  file=$(grep -l '^desc: Trigger: dump pages' "$tmp/$label".cg.*.*)
  cp "$file" "$tmp/$label.out"
  echo $(($(awk '/^summary:/ {print $2}' "$file") / pages))
}

declare -A per_page
for i in "${!builds[@]}"; do per_page[$i]=$(measure "${builds[$i]}" "b$i"); done
if [ -n "$baseline" ] && ! cmp -s "$tmp/b0.answer" "$tmp/b1.answer"; then
  echo "sync_instructions.sh: the two builds answer differently" >&2
  exit 1
fi
echo
echo "instructions per syncPosts(limit: 1000) page ($pages pages, callgrind, user space)"
for i in "${!builds[@]}"; do
  printf '%-40s %12d\n' "${builds[$i]}" "${per_page[$i]}"
  callgrind_annotate --inclusive=no "$tmp/b$i.out" 2>/dev/null | awk -v n="$pages" '
    /^-+$/ { sep++ } sep >= 4 && $1 ~ /^[0-9,]+$/ && !/PROGRAM TOTALS/ && shown < 12 {
      c = $1; gsub(",", "", c); fn = $0; sub(/^ *[0-9,]+ *(\([^)]*\))? */, "", fn); sub(/ \[.*/, "", fn)
      printf "    %10d  %s\n", c / n, fn; shown++ }'
done
