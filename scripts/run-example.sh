#!/usr/bin/env bash
# Runs the example app: installs what is missing, builds graphgate, starts a private PostgreSQL
# (under build/, on its own loopback port, as the postgres user when run as root: PostgreSQL
# refuses to run as root), then runs graphgate with conf/example/ in the foreground.
# Ctrl-C (SIGINT) drains graphgate and stops PostgreSQL.
#
#   scripts/run-example.sh            listen on 127.0.0.1:8080 (GRAPHGATE_LISTEN overrides)
#
# The example's fields answer from conf/example/data.json (no SQL data source yet); /readyz
# checks that PostgreSQL is reachable.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build >/dev/null
fi
ninja -C build server/graphgate >/dev/null

pg_dir="$root/build/example-pg"
pg_port="${GG_EXAMPLE_PG_PORT:-55439}"
bash scripts/pg-local.sh start "$pg_dir" "$pg_port"
trap 'bash scripts/pg-local.sh stop "$pg_dir"' EXIT
export GRAPHGATE_DATABASE_URL="$(bash scripts/pg-local.sh url "$pg_dir" "$pg_port")"
listen="${GRAPHGATE_LISTEN:-127.0.0.1:8080}"
export GRAPHGATE_LISTEN="$listen"

cat <<MSG
PostgreSQL: $GRAPHGATE_DATABASE_URL
Try:
  curl -s http://$listen/graphql -H 'content-type: application/json' -d '{"query":"{ hello listTodos { items { id name priority } } }"}'
  curl -s --http2-prior-knowledge http://$listen/graphql -H 'content-type: application/json' -d '{"query":"{ __typename }"}'
  curl -s http://$listen/readyz
Ctrl-C stops.
MSG
# Not exec: the trap must stop PostgreSQL after graphgate has drained.
build/server/graphgate -c conf/example/graphgate.json &
gg_pid=$!
trap 'kill -TERM $gg_pid 2>/dev/null || true' INT TERM
wait $gg_pid || true
wait $gg_pid 2>/dev/null || true
