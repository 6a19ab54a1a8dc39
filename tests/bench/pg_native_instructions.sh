#!/usr/bin/env bash
# pg_native_instructions.sh: the instructions graphgate and PostgreSQL execute per request of pg.sh's
# workloads served from the native-typed tables and from their text-stored copy (pg_native_compare.sh's
# schema gg_text), counted by callgrind, for a build and optionally a baseline graphgate binary in the
# same run: issue 12's "unchanged or better with native types", both sides of it.
#
# Usage: tests/bench/pg_native_instructions.sh [build dir (default: build)] [baseline graphgate binary]
#                                               [requests (default: 200)]
# Environment: BENCH_POSTS, BENCH_COMMENTS (as pg.sh), BENCH_WORKLOADS: the workloads to count, among
# get-by-id list-10 list-10-with-comments (default: list-10-with-comments); BENCH_PG_PROFILES: a
# directory that keeps PostgreSQL's callgrind files (<side>-<workload>-<binary>-<storage>-<requests>
# .<backend pid>.cg) for callgrind_annotate.
#
# Why: rates and CPU times swing by tens of percent on the shared machine; instruction counts do
# not move with the load (user space only: the kernel's share of a request is not in them).
# Set-up: pg_common.sh (pg.sh's PostgreSQL, app, migration and seed, under <build>/bench-native-instr-pg)
# and its copy_to_text_schema. get-by-id asks for post 4711 each time. Every answer is checked
# (status 200, data, no errors), and every run's last answer must equal the others'. A benchmark
# measures: it never fails on a number, only when something cannot run.
# graphgate's side: each graphgate (threads 1, pg.sh's pool) runs under valgrind --tool=callgrind
# with counting off (--instr-atstart=no) while it starts and answers 20 requests to warm up;
# counting is switched on (callgrind_control -i on) for exactly N requests over one keep-alive
# connection, then off, so the count holds those requests only.
# PostgreSQL's side: then the cluster is restarted with its postmaster under callgrind (the same
# options as pg-local.sh's test mode, autovacuum off); a graphgate, not under valgrind, serves the
# same requests, so PostgreSQL runs exactly the statements graphgate sends, in the result format it
# asks, through the real protocol output path (unlike postgres --single, which prints rows its own
# way). A backend counts PostgresMain less InitPostgres and proc_exit (toggle_functions below); per
# request is the difference between a run of 20 + N requests and one of 20 (after an uncounted run
# of 20 that warms shared buffers), summed over the backends that started and ended during a run
# (the postmaster has no other child before and after it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_name=pg_native_instructions.sh
bench_pgdir=bench-native-instr-pg
build_arg="${1:-build}"
baseline="${2:-}"
requests="${3:-200}"
for tool in valgrind callgrind_control; do
  command -v "$tool" >/dev/null || { echo "$bench_name: $tool missing: GG_WITH_BENCH=1 bash scripts/install-deps.sh" >&2; exit 1; }
done
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "$bench_name: $baseline is no graphgate binary" >&2; exit 2; }
# shellcheck source=tests/bench/pg_common.sh
source "$root/tests/bench/pg_common.sh" "$build_arg"
copy_to_text_schema
workloads=(${BENCH_WORKLOADS:-list-10-with-comments})

# The client: N requests over one keep-alive connection, each answer checked; the last one is kept.
cat >"$tmp/client.py" <<'PY'
import http.client, json, sys
port, query_file, variables, count, keep = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
body = json.dumps({'query': open(query_file).read(), 'variables': json.loads(variables)})
conn = http.client.HTTPConnection('127.0.0.1', port, timeout=600)
text = b''
for _ in range(count):
    conn.request('POST', '/graphql', body, {'content-type': 'application/json'})
    r = conn.getresponse()
    text = r.read()
    answer = json.loads(text)
    if r.status != 200 or 'errors' in answer or not answer.get('data'):
        sys.exit('unexpected answer %d %r' % (r.status, text[:300]))
open(keep, 'wb').write(text)
PY

# Starts "$@" (a graphgate binary, or a wrapper and its arguments then the binary) serving storage
# (text: schema gg_text) on port, its configuration and log named after label; waits until /readyz
# answers 200 (two minutes at most: valgrind, or PostgreSQL under it, starts slowly) and sets
# started to its pid.
start_server() { # storage port label command...
  local storage=$1 port=$2 label=$3 env_schema=()
  shift 3
  [ "$storage" = text ] && env_schema=(GRAPHGATE_DATABASE_SCHEMA=gg_text)
  sed "s/\"listen\": \"127.0.0.1:$gg_port\"/\"listen\": \"127.0.0.1:$port\"/" "$tmp/graphgate.json" >"$tmp/$label.json"
  env "${env_schema[@]}" "$@" -c "$tmp/$label.json" 2>"$tmp/$label.log" &
  started=$!
  started_pids+=("$started")
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ] && return 0
    kill -0 "$started" 2>/dev/null || { echo "$bench_name: graphgate exited:" >&2; cat "$tmp/$label.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$bench_name: graphgate not ready on port $port" >&2
  exit 1
}

# Instructions per request of binary serving storage (text or native) for workload index i.
count_instructions() { # binary storage i label -> prints instructions per request
  local binary=$1 storage=$2 i=$3 label=$4 port pid vars='{}'
  port=$(free_port)
  [ "${randoms[$i]}" = yes ] && vars='{"id":"4711"}'
  start_server "$storage" "$port" "$label" valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$tmp/$label.cg" "$binary"
  pid=$started
  local query="$bench/${stems[$i]}.graphql"
  python3 "$tmp/client.py" "$port" "$query" "$vars" 20 "$tmp/$label.answer" || exit 1
  callgrind_control -i on "$pid" >/dev/null 2>&1
  python3 "$tmp/client.py" "$port" "$query" "$vars" "$requests" "$tmp/$label.answer" || exit 1
  callgrind_control -i off "$pid" >/dev/null 2>&1
  kill -TERM "$pid"
  wait "$pid" || true
  awk -v n="$requests" '/^(summary|totals):/ { total = $2 } END { printf "%.0f\n", total / n }' "$tmp/$label.cg"
}

# ---- PostgreSQL's side: the postmaster under callgrind; its backends are forked (no exec), so each
# runs under callgrind too and writes its own file when it exits. Counting cannot be switched per
# backend (valgrind's gdbserver, which callgrind_control talks to, stays with the postmaster), so a
# backend counts from its fork: the start-up is removed as the difference of two runs ----
# shellcheck source=scripts/local-owner.sh
source "$root/scripts/local-owner.sh"
pgdir_abs="$(cd "$pgdir" && pwd)"
# Counted in a backend: PostgresMain, its loop over the messages it reads, less InitPostgres (the
# start-up: catalogs, authentication's end) and proc_exit (the exit), where callgrind switches the
# count off again (a toggled function inside another toggles it back). Connections graphgate
# opens and leaves idle (under valgrind a slow start-up can make it open another) then count a
# few thousand instructions, not a start-up's 44 million.
toggle_functions=(PostgresMain InitPostgres proc_exit)
restart_pg_under_callgrind() {
  bash scripts/pg-local.sh stop "$pgdir" >/dev/null
  mkdir -p "$tmp/pgcg"
  give_to_owner "$tmp/pgcg"
  # pg-local.sh's test options (pg_stat_statements too, as in every run of pg.sh); autovacuum off
  # (its workers are not counted; they would only slow everything under valgrind)
  # counted: a backend's work on the messages it reads, not its start-up or exit (toggle_functions)
  as_owner valgrind --tool=callgrind --collect-atstart=no "${toggle_functions[@]/#/--toggle-collect=}" \
    --callgrind-out-file="$tmp/pgcg/pg.%p.cg" \
    "$pgbin/postgres" -D "$pgdir_abs" -p "$pg_port" -k "$pgdir_abs" -c listen_addresses=127.0.0.1 \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off \
    -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all >"$tmp/pgcg.log" 2>&1 &
  pg_valgrind_pid=$!
  for _ in $(seq 600); do
    psql -qAt "$db_url" -c 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.2
  done
  psql -qAt "$db_url" -c 'SELECT 1' >/dev/null 2>&1 ||
    { echo "$bench_name: PostgreSQL under callgrind did not start:" >&2; tail -20 "$tmp/pgcg.log" >&2; exit 1; }
  pg_postmaster=$(head -1 "$pgdir_abs/postmaster.pid")
  # the processes the postmaster keeps (checkpointer, writers, launcher): every other child is a backend
  pg_aux=$(psql -qAt "$db_url" -c "SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'" | sort -n)
}

# The postmaster's children, one pid a line, sorted.
pg_children() { ps -o pid= --ppid "$pg_postmaster" | tr -d ' ' | sort -n; }

# Waits until no backend is left: each has written its callgrind file.
wait_pg_idle() {
  for _ in $(seq 1200); do
    [ "$(pg_children)" = "$pg_aux" ] && return 0
    sleep 0.1
  done
  echo "$bench_name: PostgreSQL's backends did not exit" >&2; exit 1
}

# The instructions of the backends of one graphgate (not under valgrind) serving binary's answers
# from storage for workload i, from their fork to their exit, over count requests: the files of
# the backends that started and ended meanwhile (its pool, its realtime bus listener, a connection
# it opens at start), so no listing of its connections can miss one.
postgres_run() { # binary storage i label count -> prints the instructions
  local binary=$1 storage=$2 i=$3 label=$4 count=$5 port pid vars='{}' before f total=0 v
  wait_pg_idle
  before=$(ls "$tmp/pgcg")
  port=$(free_port)
  [ "${randoms[$i]}" = yes ] && vars='{"id":"4711"}'
  start_server "$storage" "$port" "$label" "$binary"
  pid=$started
  python3 "$tmp/client.py" "$port" "$bench/${stems[$i]}.graphql" "$vars" "$count" "$tmp/$label.answer" || exit 1
  kill -TERM "$pid"
  wait "$pid" || true
  wait_pg_idle
  for f in "$tmp"/pgcg/pg.*.cg; do
    f=${f##*/}
    grep -qxF "$f" <<<"$before" && continue
    v=$(awk '/^(summary|totals):/ { t = $2 } END { print t + 0 }' "$tmp/pgcg/$f")
    total=$((total + v))
    [ -z "${BENCH_PG_PROFILES:-}" ] || cp "$tmp/pgcg/$f" "$BENCH_PG_PROFILES/$label-$count.${f#pg.}"
  done
  echo "$total"
}

# PostgreSQL's instructions per request: a run of 20 requests (start-up, connection, statements
# prepared) subtracted from one of 20 + N; one run of 20 before, uncounted, so that both find the
# same pages in shared buffers.
count_postgres() { # binary storage i label -> prints instructions per request
  local binary=$1 storage=$2 i=$3 label=$4 small large
  postgres_run "$binary" "$storage" "$i" "$label" 20 >/dev/null
  small=$(postgres_run "$binary" "$storage" "$i" "$label" 20)
  large=$(postgres_run "$binary" "$storage" "$i" "$label" $((20 + requests)))
  awk -v s="$small" -v l="$large" -v n="$requests" 'BEGIN { printf "%.0f\n", (l - s) / n }'
}

binaries=("$graphgate")
names_of=("this build ($build)")
[ -z "$baseline" ] || { binaries=("$baseline" "$graphgate"); names_of=("baseline ($baseline)" "this build ($build)"); }
# Every count: graphgate's under callgrind first, then PostgreSQL's with the postmaster under callgrind.
declare -A counts=()
count_all() { # side (gg or pg)
  local side=$1 i b storage label
  for i in "${!names[@]}"; do
    [[ " ${workloads[*]} " == *" ${names[$i]} "* ]] || continue
    for b in "${!binaries[@]}"; do
      for storage in text native; do
        label="$side-${names[$i]}-$b-$storage"
        if [ "$side" = gg ]; then
          counts[$label]=$(count_instructions "${binaries[$b]}" "$storage" "$i" "$label")
        else
          counts[$label]=$(count_postgres "${binaries[$b]}" "$storage" "$i" "$label")
        fi
        [ -n "${first_answer[$i]:-}" ] || first_answer[i]="$tmp/$label.answer"
        cmp -s "${first_answer[$i]}" "$tmp/$label.answer" ||
          { echo "$bench_name: ${names[$i]}: $label answers differently from the first graphgate" >&2; exit 1; }
      done
    done
  done
}
first_answer=()
count_all gg
echo "PostgreSQL restarted under callgrind"
restart_pg_under_callgrind
count_all pg
# stopped here, not by the exit trap: the processes under valgrind write their files after
# pg_ctl saw the postmaster go, and the trap removes $tmp
bash scripts/pg-local.sh stop "$pgdir" >/dev/null
wait "$pg_valgrind_pid" || true

echo
printf '%-22s %-32s %10s %10s %6s %10s %10s %6s %6s\n' workload graphgate "gg text" "gg native" ratio \
  "pg text" "pg native" ratio "sum"
for i in "${!names[@]}"; do
  name=${names[$i]}
  [[ " ${workloads[*]} " == *" $name "* ]] || continue
  for b in "${!binaries[@]}"; do
    awk -v w="$name" -v g="${names_of[$b]}" -v gt="${counts[gg-$name-$b-text]}" -v gn="${counts[gg-$name-$b-native]}" \
      -v pt="${counts[pg-$name-$b-text]}" -v pn="${counts[pg-$name-$b-native]}" 'BEGIN {
      printf "%-22s %-32s %10d %10d %5.2fx %10d %10d %5.2fx %5.2fx\n", w, g, gt, gn, gn / gt, pt, pn, pn / pt, (gn + pn) / (gt + pt) }'
  done
done
echo "instructions per request (callgrind, user space; gg: every thread of graphgate, threads 1; pg: the"
echo "PostgreSQL backends serving it; $requests requests after 20 to warm up; $posts posts x $comments comments);"
echo "ratio: native / text; sum: (gg + pg) native / text"
