#!/usr/bin/env bash
# Runs the example app: installs what is missing, builds graphgate, starts a private PostgreSQL
# (under build/, on its own loopback port, as the postgres user when run as root: PostgreSQL
# refuses to run as root), creates the tables of conf/example/schema.graphql with
# `graphgate migrate`, starts graphgate with a development API key (generated at the first run,
# kept in build/example-api-key and printed at start; requests send it as x-api-key), seeds a few
# rows through the GraphQL API (first run only) and keeps serving in the foreground. Ctrl-C (SIGINT) drains graphgate and stops PostgreSQL.
#
#   scripts/run-example.sh            listen on 127.0.0.1:8080 (GRAPHGATE_LISTEN overrides)
#   GG_EXAMPLE_PG_PORT=55439          PostgreSQL's port (the data stays in build/example-pg)
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
bash scripts/pg-local.sh start "$pg_dir" "$pg_port" durable # fsync on: the example's data is kept
trap 'bash scripts/pg-local.sh stop "$pg_dir"' EXIT
export GRAPHGATE_DATABASE_URL="$(bash scripts/pg-local.sh url "$pg_dir" "$pg_port")"
listen="${GRAPHGATE_LISTEN:-127.0.0.1:8080}"
export GRAPHGATE_LISTEN="$listen"
config=conf/example/graphgate.json

# The example serves API_KEY mode (conf/example/graphgate.json): a random development key, made once.
key_file="$root/build/example-api-key"
if [ ! -s "$key_file" ]; then
  (umask 077 && printf 'da2-%s\n' "$(openssl rand -hex 16)" >"$key_file")
fi
api_key="$(tr -d '\n' <"$key_file")"
export GRAPHGATE_AUTH_API_KEYS="$api_key"

build/server/graphgate migrate -c "$config"

# Not exec: the trap must stop PostgreSQL after graphgate has drained.
build/server/graphgate -c "$config" &
gg_pid=$!
trap 'kill -TERM $gg_pid 2>/dev/null || true' INT TERM
for _ in $(seq 1 100); do
  curl -sf "http://$listen/healthz" >/dev/null 2>&1 && break
  kill -0 "$gg_pid" 2>/dev/null || { wait "$gg_pid"; exit 1; }
  sleep 0.1
done

# (line ends become spaces: a raw newline inside a JSON string is refused with 400)
gql() { curl -sS "http://$listen/graphql" -H 'content-type: application/json' -H "x-api-key: $api_key" -d "$(tr '\n' ' ' <<<"$1")"; }
if gql '{"query":"{ getProject(id: \"home\") { id } }"}' | grep -q '"getProject":null'; then
  gql '{"query":"mutation Seed {
    home: createProject(input: {id: \"home\", name: \"Home\"}) { id }
    t1: createTodo(input: {id: \"t1\", name: \"Try graphgate\", priority: HIGH, projectId: \"home\"}) { id }
    t2: createTodo(input: {id: \"t2\", name: \"Point it at your schema\", projectId: \"home\"}) { id }
    t3: createTodo(input: {id: \"t3\", name: \"Water the plants\", priority: LOW, status: DONE, projectId: \"home\"}) { id }
  }"}' >/dev/null
  echo "Seeded project \"home\" with todos t1, t2, t3."
fi

cat <<MSG
PostgreSQL: $GRAPHGATE_DATABASE_URL
API key (development, kept in build/example-api-key): $api_key
Try (more in README.md, "Run the example app"):
  key=\$(cat build/example-api-key)
  curl -s http://$listen/graphql -H 'content-type: application/json' -H "x-api-key: \$key" -d '{"query":"{ listTodos(limit: 2) { items { id name priority } nextToken } }"}'
  curl -s http://$listen/graphql -H 'content-type: application/json' -H "x-api-key: \$key" -d '{"query":"{ getProject(id: \"home\") { name todos { items { name status } } } }"}'
  curl -s http://$listen/readyz
Ctrl-C stops.
MSG
wait $gg_pid || true
wait $gg_pid 2>/dev/null || true
