#!/usr/bin/env bash
# startup.sh: how long graphgate takes from process start to ready (GET /readyz answers 200), with
# the example app (conf/example: @model types over PostgreSQL, API keys), next to the start of
# `postgres --version` as the baseline of starting any process here (fork, exec, dynamic loader).
#
# Usage: tests/bench/startup.sh [build dir (default: build)] [repetitions (default: 21)]
# (BENCH_PG_PORT chooses the private PostgreSQL's port; default: a free one. The build dir may be
# another checkout's, as an absolute path: the same run then measures an older graphgate.)
#
# A private PostgreSQL under <build>/bench-startup-pg (scripts/pg-local.sh, loopback, a free port)
# holds the example app's tables (`graphgate migrate`, then one start so that the cursor secret
# exists, as on every start but the very first). startup.py then alternates the baseline, the floor
# and a graphgate start, REPETITIONS times each, asking /readyz every 0.2 ms from just before the
# spawn, and prints every time and the medians; the target is ready in under 50 ms. The three are
# spawned and timed by startup_clock (tests/bench/startup_clock.c, compiled here from this checkout
# whatever the build dir): a poller in C takes less of the two cores the start being timed runs on
# than Python's did; its CPU per start is printed. The floor is
# PostgreSQL's own psql connecting to the same database and running one query (`SELECT 1`): a
# process start, one new backend, one round trip, the least anything that must reach PostgreSQL
# once before it is ready can take here; graphgate's median minus the floor is what start-up
# spends beyond it. The start-up steps that cost the most are round trips to PostgreSQL made one
# after the other (the cursor key, the tables' and columns' checks, the pools' connections): the
# second part counts the connections and the messages sent to PostgreSQL before /readyz first
# answered 200 (strace), a number the load of the machine does not change. The third part starts
# graphgate once more with GRAPHGATE_LOG_LEVEL=debug and prints its "start-up:" lines: each step's
# time since main() began and the process's CPU time (what it spent before main() is the dynamic
# loader's, as for the baseline): where the time goes. A benchmark measures: it never fails on a
# number, only when something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
repetitions="${2:-21}"
cd "$root"
bench_tools=(python3 postgres)
psql=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do # pg-local.sh's PostgreSQL
  if [ -x "$d/psql" ]; then psql="$d/psql"; break; fi
done
[ -n "$psql" ] || { echo "startup.sh: psql missing (apt-get install postgresql)" >&2; exit 1; }
source "$root/tests/bench/http_common.sh" # the tool check, the build, $tmp and its cleanup, free_port
graphgate="$root/$build/server/graphgate"
[ -x "$graphgate" ] || graphgate="$build/server/graphgate"
ninja -C "$build" console-assets >/dev/null # the example app has console: true
export STARTUP_CLOCK="$tmp/startup_clock"
cc -std=c17 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -o "$STARTUP_CLOCK" "$root/tests/bench/startup_clock.c"

pgdir="$build/bench-startup-pg"
pg_port="${BENCH_PG_PORT:-$(free_port)}"
trap 'bash scripts/pg-local.sh stop "$pgdir" >/dev/null 2>&1 || true; cleanup' EXIT
bash scripts/pg-local.sh start "$pgdir" "$pg_port" test >/dev/null
export GRAPHGATE_DATABASE_URL="$(bash scripts/pg-local.sh url "$pgdir" "$pg_port")"
export GRAPHGATE_AUTH_API_KEYS="da2-startup-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export GRAPHGATE_LISTEN="127.0.0.1:$(free_port)"
port="${GRAPHGATE_LISTEN##*:}"
config="$root/conf/example/graphgate.json"
"$graphgate" migrate -c "$config" >/dev/null
# the first start ever creates the cursor secret: not what an operator waits for every time
STARTUP_LOG="$tmp/first.log" python3 tests/bench/startup.py 1 "$port" true -- "$graphgate" -c "$config" >/dev/null

echo "graphgate $(git rev-parse --short HEAD 2>/dev/null || echo '?'), conf/example, PostgreSQL on 127.0.0.1:$pg_port;" \
  "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
STARTUP_LOG="$tmp/runs.log" python3 tests/bench/startup.py "$repetitions" "$port" postgres --version -- \
  "$psql" -X -q -A -t -d "$GRAPHGATE_DATABASE_URL" -c 'SELECT 1' -- "$graphgate" -c "$config" >"$tmp/result"
grep -E 'runs|poller' "$tmp/result"
read -r _ base server floor < <(grep '^median' "$tmp/result")
printf '\n%-44s %10s\n' "median of $repetitions" "ms"
printf '%-44s %10s\n' "postgres --version (process start, baseline)" "$base"
printf '%-44s %10s\n' "psql -c 'SELECT 1' (connect + query, floor)" "$floor"
printf '%-44s %10s\n' "graphgate: start to /readyz 200" "$server"
awk -v a="$server" -v b="$base" 'BEGIN {printf "%-44s %9.1fx\n", "graphgate / baseline", a / b}'
awk -v a="$server" -v f="$floor" 'BEGIN {printf "%-44s %10.2f\n", "graphgate - floor (ms)", a - f}'
echo "target: graphgate ready in under 50 ms; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "start-up steps of one more start (GRAPHGATE_LOG_LEVEL=debug):"
GRAPHGATE_LOG_LEVEL=debug STARTUP_LOG="$tmp/steps.log" python3 tests/bench/startup.py 1 "$port" true -- \
  "$graphgate" -c "$config" >/dev/null
grep -o 'start-up: .*' "$tmp/steps.log" | sed 's/^start-up: /  /' || echo "  (none: this graphgate logs no start-up steps)"

command -v strace >/dev/null || { echo "strace missing: PostgreSQL round trips at start-up not counted"; exit 0; }
strace -f -e trace=connect,sendto,read -o "$tmp/strace" "$graphgate" -c "$config" >/dev/null 2>"$tmp/strace.err" &
traced=$!
python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for _ in range(3000):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /readyz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            if s.recv(16).startswith(b"HTTP/1.1 200"):
                break
    except OSError:
        pass
    time.sleep(0.01)
PY
server_pid=$(ps -o pid= --ppid "$traced" | head -1)
kill -TERM "$server_pid"
wait "$traced" || true
python3 - "$tmp/strace" "$pg_port" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
ready = max(i for i, l in enumerate(lines) if 'GET /readyz' in l)  # the last probe: the one answered 200
before = lines[:ready]
connections = sum(1 for l in before if 'connect(' in l and f'htons({sys.argv[2]})' in l)
messages = sum(1 for l in before if 'sendto(' in l)
print(f"before /readyz 200: {connections} connections to PostgreSQL, {messages} messages sent to it (strace)")
PY
