# entrypoint.sh: writes PgBouncer's user list (user graphgate, password from POSTGRES_PASSWORD, the
# one deploy/postgres sets) and runs PgBouncer in the foreground.
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
umask 077
printf '"graphgate" "%s"\n' "$POSTGRES_PASSWORD" >/tmp/userlist.txt
exec /usr/sbin/pgbouncer /etc/pgbouncer/pgbouncer.ini
