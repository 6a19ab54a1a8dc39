#!/usr/bin/env bash
# A private PostgreSQL server for the example app and the tests.
#
#   scripts/pg-local.sh start DIR PORT [durable|test]
#                                        initialise DIR (once) and start a server on 127.0.0.1:PORT
#   scripts/pg-local.sh stop DIR         stop it (fast)
#   scripts/pg-local.sh restart DIR      restart it (tests use this to check reconnects)
#   scripts/pg-local.sh url DIR PORT     print the connection URL
#
# The server listens on loopback only, on a port of its own, with its data and socket in DIR
# (under the build folder), so it never touches a system cluster. PostgreSQL refuses to run as
# root: when called as root the server runs as the `postgres` user (created by the Debian package).
#
# Modes: `durable` (the default; the example app) keeps PostgreSQL's crash safety: fsync,
# synchronous_commit and full_page_writes on, and initdb syncs the new cluster to disk. `test`
# (scripts/test.sh) turns them off: a test cluster's data may be lost in a crash, and it runs faster.
# The mode is a start option: the same DIR can be started in either mode.
set -euo pipefail

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ]; then bindir="$d"; break; fi
done
[ -n "$bindir" ] || { echo "pg-local: no PostgreSQL server found (apt-get install postgresql)" >&2; exit 1; }

# shellcheck source=scripts/local-owner.sh
source "$(dirname "$0")/local-owner.sh"

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,16p' "$0" >&2; exit 2; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

case "$cmd" in
start)
  port="${3:?port}"
  mode="${4:-durable}"
  case "$mode" in
  durable) initdb_sync="" durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on" ;;
  test) initdb_sync="--no-sync" durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" ;;
  *) echo "pg-local: unknown mode '$mode' (durable or test)" >&2; exit 2 ;;
  esac
  give_to_owner "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir" -A trust -U "$db_user" $initdb_sync -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
      { cat "$dir.initdb.log" >&2; exit 1; }
  fi
  if as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$dir" stop -m fast >/dev/null
  fi
  as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
    start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
  as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$db_user" -d postgres -qAt \
    -c "SELECT 1 FROM pg_database WHERE datname = 'graphgate'" | grep -q 1 ||
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$db_user" graphgate
  ;;
stop)
  if [ -f "$dir/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$dir" stop -m fast -w >/dev/null
  fi
  ;;
restart)
  as_owner "$bindir/pg_ctl" -D "$dir" restart -m fast -w >/dev/null
  ;;
url)
  port="${3:?port}"
  echo "postgresql://$db_user@127.0.0.1:$port/graphgate"
  ;;
*)
  sed -n '2,16p' "$0" >&2
  exit 2
  ;;
esac
