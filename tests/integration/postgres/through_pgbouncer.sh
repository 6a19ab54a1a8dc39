#!/usr/bin/env bash
# through_pgbouncer.sh: the PostgreSQL suites that serve an @model API through the real binary
# (CRUD, lists, relations, @index queries, @auth reads and writes, @sql, subscriptions, a schema
# other than public named by database.schema), run again with their database URL pointing at a
# PgBouncer in transaction mode (scripts/pgbouncer-local.sh,
# 2 server connections) in front of the PostgreSQL of scripts/test.sh, and every graphgate they start
# configured for it: GRAPHGATE_DATABASE_POOLER=pgbouncer-transaction, GRAPHGATE_DATABASE_LISTEN_URL
# the PostgreSQL itself (the realtime bus). Their own psql and `graphgate migrate` go through
# PgBouncer too. They run in a database of their own (graphgate_through_pgbouncer, made afresh on
# that PostgreSQL), so they use the tables they use when run directly while those suites run too.
#
# Usage: through_pgbouncer.sh SCRATCH_DIR SUITE.test.mjs...   (needs GRAPHGATE_TEST_DATABASE_URL)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
[ -n "${GRAPHGATE_TEST_DATABASE_URL:-}" ] || { echo "GRAPHGATE_TEST_DATABASE_URL is not set (scripts/test.sh sets it)" >&2; exit 77; }
scratch="$1"
shift
database=graphgate_through_pgbouncer
pg_port="$(sed -E 's|^[a-z]+://[^/]*:([0-9]+)/.*|\1|' <<<"$GRAPHGATE_TEST_DATABASE_URL")"
direct="$(sed -E "s|^([a-z]+://[^/]*)/[^?]*|\1/$database|" <<<"$GRAPHGATE_TEST_DATABASE_URL")"
psql "$GRAPHGATE_TEST_DATABASE_URL" -v ON_ERROR_STOP=1 -qAt \
  -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
port="$(python3 "$root/tests/bench/proc_cpu.py" free-port)"
bash "$root/scripts/pgbouncer-local.sh" start "$scratch" "$port" "$pg_port" 2 "$database"
trap 'bash "$root/scripts/pgbouncer-local.sh" stop "$scratch"' EXIT
GRAPHGATE_TEST_DATABASE_URL="$(bash "$root/scripts/pgbouncer-local.sh" url "$scratch" "$port" "$database")" \
  GRAPHGATE_DATABASE_POOLER=pgbouncer-transaction GRAPHGATE_DATABASE_LISTEN_URL="$direct" \
  node --test --test-reporter=spec "$@"
