#!/usr/bin/env bash
# datastore_instructions.sh: what a versioned update costs next to an unversioned one in
# instructions (callgrind), for graphgate and for PostgreSQL apart, optionally next to a baseline
# build measured in the same run. The requests are those of datastore.sh's update workloads
# (tests/bench/datastore/update_versioned.graphql and update_plain.graphql) on its app.
#
# Usage: tests/bench/datastore_instructions.sh [build dir (default: build)] [baseline build dir] [requests (default: 200)]
#
# Why: datastore.sh's rate ratio moves by 10-20 points on the shared 2-core machine; instruction
# counts do not move with the load, so they show where the versioned update's extra cost is and what
# a change saves (user space only: system calls and the network are not in them).
# graphgate: one server per build under valgrind --tool=callgrind (threads 1, database.log_sql on),
# warmed up, then exactly N versioned updates (each with its row's current version, each answer
# checked) and N unversioned ones, counted apart (callgrind_control -z, --dump).
# PostgreSQL: the statements each graphgate sent (from its log) run in single-user mode under
# callgrind on a copy of the database (PREPARE, then EXECUTE with the same parameters), 20 times
# and 20 + N times: (difference) / N is one execution of the cached generic plan, parse, bind and
# executor start-up included, the first plans excluded. Single-user mode prints each row it
# returns, a cost the wire protocol does not have in this form (both sides print theirs).
# A benchmark measures: it never fails on a number, only when something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
baseline="${2:-}"
count="${3:-200}"
cd "$root"
for tool in valgrind callgrind_control callgrind_annotate psql python3 curl; do
  command -v "$tool" >/dev/null || { echo "datastore_instructions.sh: $tool missing" >&2; exit 1; }
done
pgbin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/postgres" ]; then pgbin="$d"; break; fi
done
[ -n "$pgbin" ] || { echo "datastore_instructions.sh: no PostgreSQL server found" >&2; exit 1; }
# shellcheck source=scripts/local-owner.sh
source "$root/scripts/local-owner.sh"
builds=("$build")
[ -z "$baseline" ] || builds=("$baseline" "$build")
for b in "${builds[@]}"; do
  [ -f "$b/build.ninja" ] || meson setup "$b" >/dev/null
  ninja -C "$b" server/graphgate >/dev/null
done

free_port() { python3 "$root/tests/bench/proc_cpu.py" free-port; }
tmp="$(mktemp -d)"
pgdir="$build/bench-datastore-instr-pg"
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
 "schema": ["$bench/schema.graphql"], "database": {"pool_size": 1, "log_sql": true}}
JSON
export GRAPHGATE_DATASTORE_CONFLICT_DETECTION=VERSION GRAPHGATE_DATASTORE_CONFLICT_HANDLER=OPTIMISTIC_CONCURRENCY
export GRAPHGATE_DATASTORE_MODELS='{"Note": {"conflict_detection": "NONE"}}'
export GRAPHGATE_DATASTORE_DELTA_TTL_MIN=1440 GRAPHGATE_DATASTORE_PURGE_INTERVAL_S=0
export GRAPHGATE_DATABASE_URL="$db_url" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
# the tables of the build measured (the last), which seed.sql writes; a baseline of before the change
# log's pk became text (3e69f75) writes its jsonb key into the text column (an assignment cast)
"${builds[${#builds[@]} - 1]}/server/graphgate" migrate -c "$tmp/graphgate.json" >/dev/null
posts=$((count * 2 * ${#builds[@]} + 100))
psql -q "$db_url" -v ON_ERROR_STOP=1 -v posts="$posts" -f "$bench/seed.sql"

# The client: N sequential updates over one keep-alive connection, ids first .. first+N-1, every
# answer checked (the row, and for the versioned query the version it sent plus one).
cat >"$tmp/client.py" <<'PY'
import http.client, json, subprocess, sys
port, query_file, first, count, db_url = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
query = open(query_file).read()
versioned = '$version' in query
versions = {}
if versioned:
    out = subprocess.run(['psql', '-qAt', db_url, '-c', 'SELECT id, "_version" FROM "Post"'], capture_output=True, text=True, check=True)
    versions = {line.split('|')[0]: int(line.split('|')[1]) for line in out.stdout.split()}
conn = http.client.HTTPConnection('127.0.0.1', port, timeout=300)
for n in range(first, first + count):
    variables = {'id': str(n), 'version': versions[str(n)]} if versioned else {'id': str(n)}
    conn.request('POST', '/graphql', json.dumps({'query': query, 'variables': variables}), {'content-type': 'application/json'})
    r = conn.getresponse()
    body = r.read()
    answer = json.loads(body)
    row = (answer.get('data') or {}).get('updatePost' if versioned else 'updateNote')
    if r.status != 200 or 'errors' in answer or not row or row['id'] != str(n) or row['title'] != 'updated' or \
            (versioned and row['_version'] != versions[str(n)] + 1):
        sys.exit('unexpected answer %d %r' % (r.status, body[:300]))
PY

# graphgate of build b under callgrind: "versioned unversioned" instructions per request; the
# statements it sent land in $tmp/<label>.v.sql and $tmp/<label>.u.sql
measure_graphgate() { # build label first-id
  local b=$1 label=$2 first=$3 log="$tmp/$2.log"
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/$label.cg.%p" \
    "$b/server/graphgate" -c "$tmp/graphgate.json" 2>"$log" &
  gg_pid=$!
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gg_port/readyz" || true)" = 200 ] && break
    kill -0 "$gg_pid" 2>/dev/null || { echo "datastore_instructions.sh: graphgate exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  local warm=$((posts - 100)) dumps=()
  python3 "$tmp/client.py" "$gg_port" "$bench/update_versioned.graphql" "$((warm + 1))" 20 "$db_url"
  python3 "$tmp/client.py" "$gg_port" "$bench/update_plain.graphql" "$((warm + 1))" 20 "$db_url"
  for kind in versioned plain; do
    callgrind_control -z "$gg_pid" >/dev/null 2>&1
    callgrind_control -i on "$gg_pid" >/dev/null 2>&1
    python3 "$tmp/client.py" "$gg_port" "$bench/update_$kind.graphql" "$first" "$count" "$db_url"
    callgrind_control --dump="$kind" "$gg_pid" >/dev/null 2>&1
    callgrind_control -i off "$gg_pid" >/dev/null 2>&1
  done
  kill -TERM "$gg_pid"
  wait "$gg_pid" || true
  gg_pid=""
  grep -m1 'sql: WITH n1' "$log" | sed 's/^graphgate: sql: //; s/ trace_id=.*//' >"$tmp/$label.v.sql"
  grep -m1 'sql: UPDATE "Note"' "$log" | sed 's/^graphgate: sql: //; s/ trace_id=.*//' >"$tmp/$label.u.sql"
  [ -s "$tmp/$label.v.sql" ] && [ -s "$tmp/$label.u.sql" ] || { echo "datastore_instructions.sh: no statements logged" >&2; exit 1; }
  local v u
  v=$(awk '/^summary:/ {print $2}' "$(grep -l '^desc: Trigger: dump versioned' "$tmp/$label".cg.*.*)")
  u=$(awk '/^summary:/ {print $2}' "$(grep -l '^desc: Trigger: dump plain' "$tmp/$label".cg.*.*)")
  echo "$((v / count)) $((u / count))"
}

# PostgreSQL in single-user mode: instructions of one execution of the statement in file sql_file
# (its parameters: title, id[, version]), on a copy of the stopped cluster
measure_postgres() { # sql_file kind(v|u) first-id
  local sql_file=$1 kind=$2 first=$3 n totals=()
  for n in 20 $((20 + count)); do
    rm -rf "$tmp/pgcopy"
    cp -a "$pgdir" "$tmp/pgcopy"
    {
      if [ "$kind" = v ]; then echo "PREPARE s(text, text, integer) AS $(cat "$sql_file")"; else echo "PREPARE s(text, text) AS $(cat "$sql_file")"; fi
      for i in $(seq "$first" $((first + n - 1))); do
        if [ "$kind" = v ]; then echo "EXECUTE s('updated', '$i', ${versions[$i]})"; else echo "EXECUTE s('updated', '$i')"; fi
      done
    } >"$tmp/single.sql"
    give_to_owner -R "$tmp"
    as_owner valgrind --tool=callgrind --callgrind-out-file="$tmp/pg.cg" "$pgbin/postgres" --single -D "$tmp/pgcopy" \
      -c shared_preload_libraries= graphgate <"$tmp/single.sql" >"$tmp/single.out" 2>&1 ||
      { echo "datastore_instructions.sh: postgres --single failed:" >&2; tail -20 "$tmp/single.out" >&2; exit 1; }
    grep -q ERROR "$tmp/single.out" && { echo "datastore_instructions.sh: $(grep -m1 ERROR "$tmp/single.out")" >&2; exit 1; }
    totals+=("$(awk '/^summary:/ {print $2}' "$tmp/pg.cg")")
  done
  echo $(((totals[1] - totals[0]) / count))
}

declare -A gg_v gg_u pg_v pg_u
first=1
for i in "${!builds[@]}"; do
  read -r gg_v[$i] gg_u[$i] <<<"$(measure_graphgate "${builds[$i]}" "b$i" "$first")"
  first=$((first + count))
done
# the versions as the measured graphgates left them; PostgreSQL runs on ids nobody wrote yet
declare -A versions
while IFS='|' read -r id version; do versions[$id]=$version; done < <(psql -qAt "$db_url" -c 'SELECT id, "_version" FROM "Post"')
bash scripts/pg-local.sh stop "$pgdir" >/dev/null
pg_first=$((count * ${#builds[@]} + 1))
for i in "${!builds[@]}"; do
  pg_v[$i]=$(measure_postgres "$tmp/b$i.v.sql" v "$pg_first")
  pg_u[$i]=$(measure_postgres "$tmp/b$i.u.sql" u "$pg_first")
done

echo
echo "instructions per update ($count of each, callgrind): updatePost(input: {id, title, _version}) on the synced"
echo "Post next to updateNote(input: {id, title}) on the same model without versions"
printf '%-28s %12s %12s %12s %12s %12s %9s\n' build "gg versioned" "gg plain" "pg versioned" "pg plain" "sum ratio" "extra"
for i in "${!builds[@]}"; do
  awk -v b="${builds[$i]}" -v gv="${gg_v[$i]}" -v gu="${gg_u[$i]}" -v pv="${pg_v[$i]}" -v pu="${pg_u[$i]}" 'BEGIN {
    printf "%-28s %12d %12d %12d %12d %11.0f%% %9d\n", b, gv, gu, pv, pu, (gv + pv) * 100 / (gu + pu), gv + pv - gu - pu }'
done
echo "(sum ratio: versioned / unversioned of graphgate + PostgreSQL; extra: their difference in instructions)"
