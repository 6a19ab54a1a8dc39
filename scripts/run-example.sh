#!/usr/bin/env bash
# Runs the example app (conf/example: a team task board): installs what is missing, builds
# graphgate, starts a private PostgreSQL (under build/, on its own loopback port, as the postgres
# user when run as root: PostgreSQL refuses to run as root), creates the tables of
# conf/example/schema.graphql with `graphgate migrate`, starts graphgate and keeps it serving in the
# foreground. Credentials, made at the first run and kept in build/: a development API key
# (build/example-api-key, printed at start; requests send it as x-api-key) and the secret of the
# example's development token issuer (build/example-jwt-secret: HS256, issuer graphgate-example;
# scripts/example-token.mjs signs tokens with it, requests send them as Authorization). The first
# run seeds a project with todos and a comment through the GraphQL API. The console (GraphiQL) is
# at http://127.0.0.1:8080/graphql in a browser. Ctrl-C (SIGINT) drains graphgate and stops PostgreSQL.
#
#   scripts/run-example.sh            listen on 127.0.0.1:8080 (GRAPHGATE_LISTEN overrides; when the
#                                     address is taken, the script stops before starting anything)
#   GG_EXAMPLE_PG_PORT=55439          PostgreSQL's port (the data stays in build/example-pg)
#   GG_EXAMPLE_DIR=build              where the data, key and secret are kept
#   GG_EXAMPLE_BIN=path/to/graphgate  run this binary (nothing is installed or built)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
listen="${GRAPHGATE_LISTEN:-127.0.0.1:8080}"
export GRAPHGATE_LISTEN="$listen"
# Something on the address already (most often this script, still running in another terminal):
# going on would restart the PostgreSQL that one uses, and the health check would ask the other server.
listen_host="${listen%:*}" listen_port="${listen##*:}"
listen_host="${listen_host#[}" listen_host="${listen_host%]}"
if (exec 3<>"/dev/tcp/${listen_host:-127.0.0.1}/$listen_port") 2>/dev/null; then
  echo "run-example: something already listens on $listen (run-example.sh in another terminal?): stop it," \
    "or give the example another address: GRAPHGATE_LISTEN=127.0.0.1:8081 bash scripts/run-example.sh" >&2
  exit 1
fi
bin="${GG_EXAMPLE_BIN:-}"
if [ -z "$bin" ]; then
  bash scripts/install-deps.sh
  if [ ! -f build/build.ninja ]; then
    meson setup build >/dev/null
  fi
  ninja -C build server/graphgate console-assets >/dev/null
  bin=build/server/graphgate
fi
dir="${GG_EXAMPLE_DIR:-$root/build}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
export GG_EXAMPLE_DIR="$dir" # for scripts/example-token.mjs

pg_dir="$dir/example-pg"
pg_port="${GG_EXAMPLE_PG_PORT:-55439}"
bash scripts/pg-local.sh start "$pg_dir" "$pg_port" durable || { # fsync on: the example's data is kept
  echo "run-example: PostgreSQL did not start (its log is above); when port $pg_port is taken, choose" \
    "another: GG_EXAMPLE_PG_PORT=55440 bash scripts/run-example.sh" >&2
  exit 1
}
trap 'bash scripts/pg-local.sh stop "$pg_dir"' EXIT
export GRAPHGATE_DATABASE_URL="$(bash scripts/pg-local.sh url "$pg_dir" "$pg_port")"
config=conf/example/graphgate.json

# The example serves API_KEY mode (conf/example/graphgate.json): a random development key, made once.
key_file="$dir/example-api-key"
if [ ! -s "$key_file" ]; then
  (umask 077 && printf 'da2-%s\n' "$(openssl rand -hex 16)" >"$key_file")
fi
api_key="$(tr -d '\n' <"$key_file")"
export GRAPHGATE_AUTH_API_KEYS="$api_key"
# Signed-in users: OpenID Connect tokens of the development issuer (scripts/example-token.mjs), HS256
# with a random secret made once. A real deployment names its provider's issuer and JWKS instead.
secret_file="$dir/example-jwt-secret"
if [ ! -s "$secret_file" ]; then
  (umask 077 && openssl rand -hex 32 >"$secret_file")
fi
export GRAPHGATE_AUTH_ADDITIONAL_MODES=OPENID_CONNECT
export GRAPHGATE_AUTH_OIDC_ISSUER=graphgate-example
export GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE="$secret_file"

"$bin" migrate -c "$config"

# Not exec: the trap must stop PostgreSQL after graphgate has drained.
"$bin" -c "$config" &
gg_pid=$!
trap 'kill -TERM $gg_pid 2>/dev/null || true' INT TERM
fail() { # message: graphgate drains, then the EXIT trap stops PostgreSQL
  echo "run-example: $1" >&2
  kill -TERM "$gg_pid" 2>/dev/null || true
  wait "$gg_pid" || true
  exit 1
}
for i in $(seq 1 100); do
  curl -sf "http://$listen/healthz" >/dev/null 2>&1 && break
  kill -0 "$gg_pid" 2>/dev/null || { wait "$gg_pid"; exit 1; }
  [ "$i" -lt 100 ] || fail "graphgate did not answer http://$listen/healthz within 10 s"
  sleep 0.1
done

# (line ends become spaces: a raw newline inside a JSON string is refused with 400)
gql() { # credentials header, request
  curl -sS "http://$listen/graphql" -H 'content-type: application/json' -H "$1" -d "$(tr '\n' ' ' <<<"$2")"
}
seeded=yes
seed() { # credentials header, request: an answer with errors is shown (rows left from earlier play are)
  local answer
  answer="$(gql "$1" "$2")" || fail "seeding the example: graphgate did not answer"
  case "$answer" in *'"errors"'*) echo "run-example: seeding: $answer" >&2 && seeded="" ;; esac
}
home="$(gql "x-api-key: $api_key" '{"query":"{ getProject(id: \"home\") { id } }"}')" ||
  fail "graphgate did not answer on http://$listen/graphql"
case "$home" in
'{"data":{"getProject":{"id":"home"}}}') ;; # seeded at an earlier run
'{"data":{"getProject":null}}')
  # Projects are the Admins' to create; alice's todo and comment are hers.
  admin="Authorization: $(node scripts/example-token.mjs seed-admin Admins)"
  alice="Authorization: $(node scripts/example-token.mjs alice)"
  seed "$admin" '{"query":"mutation { createProject(input: {id: \"home\", name: \"Home\"}) { id } }"}'
  seed "x-api-key: $api_key" '{"query":"mutation Seed {
    t1: createTodo(input: {id: \"t1\", name: \"Try graphgate\", priority: HIGH, projectId: \"home\"}) { id }
    t3: createTodo(input: {id: \"t3\", name: \"Water the plants\", priority: LOW, status: DONE, projectId: \"home\"}) { id }
  }"}'
  seed "$alice" '{"query":"mutation {
    createTodo(input: {id: \"t2\", name: \"Point it at your schema\", projectId: \"home\"}) { id }
  }"}'
  seed "$alice" '{"query":"mutation {
    createComment(input: {id: \"c1\", todoId: \"t1\", body: \"Started with the example app.\"}) { id }
  }"}'
  if [ -n "$seeded" ]; then
    echo "Seeded project \"home\" with todos t1, t2 (alice's), t3 and alice's comment c1."
  else
    echo "Seeded project \"home\" in part (the errors are above)."
  fi
  ;;
*) fail "reading the example's project \"home\" failed: $home" ;;
esac

cat <<MSG
PostgreSQL: $GRAPHGATE_DATABASE_URL
API key (development, kept in $key_file): $api_key
Console (GraphiQL): open http://$listen/graphql in a browser; put the key in its Headers tab.
Try (more in README.md, "Run the example app"):
  key=\$(cat $key_file)
  curl -s http://$listen/graphql -H 'content-type: application/json' -H "x-api-key: \$key" -d '{"query":"{ listTodos(limit: 2) { items { id name priority } nextToken } }"}'
  curl -s http://$listen/graphql -H 'content-type: application/json' -H "Authorization: \$(node scripts/example-token.mjs alice)" -d '{"query":"{ getProject(id: \"home\") { name todos { items { name owner } } } }"}'
Ctrl-C stops.
MSG
wait $gg_pid || true
wait $gg_pid 2>/dev/null || true
