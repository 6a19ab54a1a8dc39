# local-owner.sh: sourced by pg-local.sh and pgbouncer-local.sh. PostgreSQL and PgBouncer refuse to
# run as root: as root they run as the `postgres` user (created by the Debian package), which must
# own their directory and reach it through its parents. db_user is the database user the private
# servers have (postgres as root, else the caller).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Gives DIR (and, with -R, what it holds) to the postgres user when run as root.
give_to_owner() { # [-R] DIR
  [ "$(id -u)" -eq 0 ] || return 0
  local dir="${!#}"
  chown "${@:1:$#-1}" postgres:postgres "$dir"
  local p="$dir"
  while [ "$p" != "/" ]; do p="$(dirname "$p")"; chmod o+x "$p" 2>/dev/null || true; done
}

db_user=postgres
if [ "$(id -u)" -ne 0 ]; then db_user="$(id -un)"; fi
