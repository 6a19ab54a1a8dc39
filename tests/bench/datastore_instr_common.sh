# datastore_instr_common.sh: the set-up shared by the callgrind benchmarks of the DataStore app
# (datastore_instructions.sh, sync_instructions.sh), sourced after they set root, cd to it and set
# build, baseline, instr_name (their name, for messages), instr_pgdir (the PostgreSQL directory's
# name under the build) and instr_log_sql (true: graphgate logs its statements). It checks the
# tools, builds the builds, starts a private PostgreSQL (stopped on exit, with any graphgate), writes
# the app's configuration (threads 1, a pool of 1) and migrates it; start_callgrind_graphgate runs
# a build's graphgate under callgrind, counting off, until /readyz answers. Seeding is the caller's.
for tool in valgrind callgrind_control callgrind_annotate psql python3 curl; do
  command -v "$tool" >/dev/null || { echo "$instr_name: $tool missing" >&2; exit 1; }
done
builds=("$build")
[ -z "$baseline" ] || builds=("$baseline" "$build")
for b in "${builds[@]}"; do
  [ -f "$b/build.ninja" ] || meson setup "$b" >/dev/null
  ninja -C "$b" server/graphgate >/dev/null
done

free_port() { python3 "$root/tests/bench/proc_cpu.py" free-port; }
tmp="$(mktemp -d)"
pgdir="$build/$instr_pgdir"
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
 "schema": ["$bench/schema.graphql"], "database": {"pool_size": 1, "log_sql": $instr_log_sql}}
JSON
export GRAPHGATE_DATASTORE_CONFLICT_DETECTION=VERSION GRAPHGATE_DATASTORE_CONFLICT_HANDLER=OPTIMISTIC_CONCURRENCY
export GRAPHGATE_DATASTORE_MODELS='{"Note": {"conflict_detection": "NONE"}}'
export GRAPHGATE_DATASTORE_DELTA_TTL_MIN=1440 GRAPHGATE_DATASTORE_PURGE_INTERVAL_S=0
export GRAPHGATE_DATABASE_URL="$db_url" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
# the tables of the build measured (the last), which seed.sql writes; a baseline of before the change
# log's pk became text (3e69f75) writes its jsonb key into the text column (an assignment cast)
"${builds[${#builds[@]} - 1]}/server/graphgate" migrate -c "$tmp/graphgate.json" >/dev/null

# graphgate of build b under callgrind (counting off), its output files $tmp/<label>.cg.<pid>.<n>
# and its log $tmp/<label>.log; sets gg_pid once /readyz answers 200
start_callgrind_graphgate() { # build label
  local b=$1 label=$2 log="$tmp/$2.log"
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/$label.cg.%p" \
    "$b/server/graphgate" -c "$tmp/graphgate.json" 2>"$log" &
  gg_pid=$!
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gg_port/readyz" || true)" = 200 ] && return 0
    kill -0 "$gg_pid" 2>/dev/null || { echo "$instr_name: graphgate exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$instr_name: graphgate not ready:" >&2; cat "$log" >&2
  exit 1
}
