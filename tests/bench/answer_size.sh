#!/usr/bin/env bash
# answer_size.sh: graphgate's own CPU per request and per KB of answer, from small lists to the
# largest page database.max_page_size allows (issue 8, item 10: large answers must not cost more
# per KB than small ones), next to PostgreSQL running the same SQL under pgbench in the same run.
#
# Usage: tests/bench/answer_size.sh [build dir (default: build)]
# Environment: BENCH_SIZES (default "1 10 100 300 600 1000": list sizes; the first is the
# fixed-cost reference), BENCH_COMMENTS per post (default 4), BENCH_FRESH requests counted on a
# fresh server (default 40), BENCH_REQUESTS minimum warm requests per round (default 100),
# BENCH_WARM_MB answer megabytes per warm round at least (default 4), BENCH_ROUNDS warm rounds
# (default 5, the cheapest counts), BENCH_PG_PORT (default: a free port).
#
# Set-up: a private PostgreSQL under <build>/bench-answer-pg (scripts/pg-local.sh, loopback), the
# app of tests/bench/pg/schema.graphql (Post @model, comments @hasMany), `graphgate migrate`, then
# tests/bench/pg/seed.sql with as many posts as the largest size. For each size, answer_size.py
# starts a fresh graphgate (threads: 1, database.log_sql on) on CPU 0 and asks
# listPosts(limit: N) { items { id title body comments { items { id body author createdAt } } } }
# over one keep-alive connection, one request at a time, from CPU 1; it reads the process's CPU time
# (the sum of its threads' /proc/PID/task/TID/schedstat, i.e. utime+stime in nanoseconds; utime+stime
# of /proc/PID/stat is printed as a cross-check) over the first BENCH_FRESH requests and over warm
# rounds. Then pgbench -M prepared runs the SQL graphgate logged for that query (one client, on
# CPU 1) and PostgreSQL's CPU per transaction is the baseline. A benchmark measures: it fails only
# when something cannot run, never on a number. Not part of scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
cd "$root"
sizes="${BENCH_SIZES:-1 10 100 300 600 1000}"
comments="${BENCH_COMMENTS:-4}"

pgbin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/pgbench" ]; then pgbin="$d"; break; fi
done
missing=""
[ -n "$pgbin" ] || missing=pgbench
for tool in taskset psql python3 meson ninja; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  echo "answer_size.sh: installing what is missing ($missing): GG_WITH_BENCH=1 scripts/install-deps.sh"
  GG_WITH_BENCH=1 bash scripts/install-deps.sh
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pgbench" ]; then pgbin="$d"; break; fi
  done
  [ -n "$pgbin" ] || { echo "answer_size.sh: pgbench still missing" >&2; exit 1; }
fi
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" server/graphgate >/dev/null
graphgate="$root/$build/server/graphgate"
[ -x "$graphgate" ] || graphgate="$build/server/graphgate"
[ "$(nproc)" -gt 1 ] || echo "answer_size.sh: only one CPU: server and client share it" >&2
client_cpu=$(($(nproc) > 1 ? 1 : 0))
pgdir="$build/bench-answer-pg"
pg_port="${BENCH_PG_PORT:-$(python3 tests/bench/proc_cpu.py free-port)}"
tmp="$(mktemp -d)"
cleanup() {
  bash scripts/pg-local.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "PostgreSQL under $pgdir on port $pg_port (CPU 0)"
taskset -c 0 bash scripts/pg-local.sh start "$pgdir" "$pg_port"
db_url="$(bash scripts/pg-local.sh url "$pgdir" "$pg_port")"
postmaster=$(head -1 "$pgdir/postmaster.pid")
for p in $postmaster $(ps -o pid= --ppid "$postmaster"); do taskset -p -c 0 "$p" >/dev/null; done

posts=$(tr ' ' '\n' <<<"$sizes" | sort -n | tail -1)
cat >"$tmp/migrate.json" <<JSON
{"listen": "127.0.0.1:$(python3 tests/bench/proc_cpu.py free-port)", "schema": ["$root/tests/bench/pg/schema.graphql"]}
JSON
GRAPHGATE_DATABASE_URL="$db_url" "$graphgate" migrate -c "$tmp/migrate.json"
echo "seeding $posts posts with $comments comments each"
psql -q "$db_url" -v ON_ERROR_STOP=1 -v posts="$posts" -v comments="$comments" -f tests/bench/pg/seed.sql

config=$(python3 -c 'import json, sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
  sizes "$sizes" tmp "$tmp" schema "$root/tests/bench/pg/schema.graphql" graphgate "$graphgate" db_url "$db_url" \
  pgbench "$pgbin/pgbench" pg_user "$(sed -E 's|^postgresql://([^@]+)@.*|\1|' <<<"$db_url")" \
  pg_db "$(sed -E 's|^.*/([^/?]+)(\?.*)?$|\1|' <<<"$db_url")")
config=$(python3 -c 'import json, sys; c = json.loads(sys.argv[1]); c.update({k: int(v) for k, v in zip(sys.argv[2::2], sys.argv[3::2])}); print(json.dumps(c))' \
  "$config" server_cpu 0 postmaster "$postmaster" pg_port "$pg_port" \
  fresh "${BENCH_FRESH:-40}" requests "${BENCH_REQUESTS:-100}" warm_bytes "$(( ${BENCH_WARM_MB:-4} * 1000000 ))" \
  rounds "${BENCH_ROUNDS:-5}")
taskset -c "$client_cpu" python3 tests/bench/answer_size.py "$config"
