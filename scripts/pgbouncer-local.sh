#!/usr/bin/env bash
# A private PgBouncer in transaction mode in front of a PostgreSQL started by scripts/pg-local.sh,
# for the tests and benchmarks of database.pooler (the way fleets run graphgate).
#
#   scripts/pgbouncer-local.sh start DIR PORT PG_PORT [POOL_SIZE [DATABASE]]
#                                      write DIR/pgbouncer.ini and DIR/userlist.txt and start PgBouncer
#                                      on 127.0.0.1:PORT, pooling (transaction mode, POOL_SIZE server
#                                      connections, default 4) the database DATABASE (default graphgate)
#                                      of 127.0.0.1:PG_PORT, under the same name
#   scripts/pgbouncer-local.sh stop DIR   stop it
#   scripts/pgbouncer-local.sh url DIR PORT [DATABASE]   print the connection URL (PostgreSQL's user,
#                                      through PgBouncer)
#
# Its settings are PgBouncer's defaults apart from what a private instance needs (loopback, its own
# files, auth_type trust as the test cluster has): no ignore_startup_parameters, no
# max_prepared_statements (Debian 12's PgBouncer 1.18 has no protocol-level prepared statements).
# PgBouncer refuses to run as root: as root it runs as the `postgres` user, as pg-local.sh does.
set -euo pipefail

# shellcheck source=scripts/local-owner.sh
source "$(dirname "$0")/local-owner.sh"

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,12p' "$0" >&2; exit 2; }
command -v pgbouncer >/dev/null || { echo "pgbouncer-local: pgbouncer missing (bash scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

case "$cmd" in
start)
  port="${3:?port}"
  pg_port="${4:?PostgreSQL port}"
  pool_size="${5:-4}"
  database="${6:-graphgate}"
  [ -f "$dir/pgbouncer.pid" ] && "$0" stop "$dir"
  cat >"$dir/pgbouncer.ini" <<INI
[databases]
$database = host=127.0.0.1 port=$pg_port dbname=$database user=$db_user

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = $pool_size
max_client_conn = 1000
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
  printf '"%s" ""\n' "$db_user" >"$dir/userlist.txt"
  give_to_owner -R "$dir"
  as_owner pgbouncer -d "$dir/pgbouncer.ini" || { tail -20 "$dir/pgbouncer.log" >&2; exit 1; }
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && exit 0
    sleep 0.05
  done
  echo "pgbouncer-local: PgBouncer does not listen on $port:" >&2
  tail -20 "$dir/pgbouncer.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$dir/pgbouncer.pid" ]; then
    pid="$(cat "$dir/pgbouncer.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    rm -f "$dir/pgbouncer.pid"
  fi
  ;;
url)
  port="${3:?port}"
  echo "postgresql://$db_user@127.0.0.1:$port/${4:-graphgate}"
  ;;
*)
  sed -n '2,12p' "$0" >&2
  exit 2
  ;;
esac
