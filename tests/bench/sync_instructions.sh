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
instr_name=sync_instructions.sh instr_pgdir=bench-sync-instr-pg instr_log_sql=false
# shellcheck source=tests/bench/datastore_instr_common.sh
source "$root/tests/bench/datastore_instr_common.sh"
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
  local b=$1 label=$2
  start_callgrind_graphgate "$b" "$label"
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
