#!/usr/bin/env bash
# realtime.sh: issue 11's subscription benchmark: 10,000 websocket subscribers in 100 rooms, mutations
# at a steady rate making 10,000 deliveries/s, next to a `ws` echo server's round trip on the same
# machine (the floor), in the same run.
#
# Usage: tests/bench/realtime.sh [build dir (default: build)] [seconds (default: 10)]
#                                [instances (default: 2)] [baseline build dir]
# Environment: BENCH_SUBSCRIBERS (10000), BENCH_ROOMS (100), BENCH_DELIVERIES per second (10000),
# BENCH_PROTOCOL (mixed: half AppSync `graphql-ws`, half graphql-transport-ws; or appsync, transport),
# BENCH_THREADS event-loop threads per instance (1), BENCH_WARMUP seconds (2), BENCH_DRAIN seconds
# (3), BENCH_ROUNDS (1), BENCH_PG_PORT (default: the first free port from 25329), BENCH_BUSES (the
# realtime.bus values this build runs with, one after the other in every round; default "postgres
# nats", nats only when nats-server is installed: it then runs on a free port, on the servers' CPU).
#
# Set-up: a private PostgreSQL under <build>/bench-rt-pg (scripts/pg-local.sh, test mode), the app of
# tests/bench/realtime/schema.graphql (Message @model with a roomId; onCreateMessage with its v2
# `filter:` and onRoomMessage(roomId:) with a classic argument), `graphgate migrate`, then N graphgate
# instances of this build on that one database (auth NONE, access log off, realtime.max_connections
# raised to the subscriber count). With N > 1 the subscribers are spread evenly over the instances
# and the mutations go to each in turn: an event reaches another instance's subscribers only through
# a bus between instances (PostgreSQL LISTEN/NOTIFY, issue 11); without one, those deliveries are
# counted as missing per instance pair after the drain time, and the run still ends.
# The load generator (tests/bench/realtime.mjs, Node and `ws`; its header says what it measures and
# how) prints: delivery latency p50/p99 from the mutation's HTTP response to the event's arrival,
# deliveries/second achieved, graphgate's RSS growth per idle subscribed connection (/proc), per
# instance; and the floor: the same Node client's round trips through a `ws` echo server, 100
# connections (one room's subscribers) in bursts at the same message rate.
# Placement: PostgreSQL, graphgate and the echo server on CPU 0, the load generator on CPU 1
# (taskset lists: BENCH_SERVER_CPUS, BENCH_CLIENT_CPUS; 0-1 for both leaves it to the scheduler).
# BENCH_WRAP runs graphgate through a command that execs it (e.g. valgrind --tool=callgrind, to count
# the delivery path's instructions at a smaller scale: BENCH_SUBSCRIBERS=2000 BENCH_ROOMS=20).
# With a baseline build (another commit's), its instances run the same load right before this
# build's, in every round: before and after in the same run. Targets (issue 11): p99 under 50 ms at
# 10,000 deliveries/s, at most 16 KiB per idle subscribed connection. The machine may be shared: the
# load average is printed with the numbers. A benchmark measures: it never fails on a number, only
# when something cannot run. Everything listens on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-10}"
instances="${3:-2}"
baseline="${4:-}"
subscribers="${BENCH_SUBSCRIBERS:-10000}"
rooms="${BENCH_ROOMS:-100}"
deliveries="${BENCH_DELIVERIES:-10000}"
protocol="${BENCH_PROTOCOL:-mixed}"
threads="${BENCH_THREADS:-1}"
warmup="${BENCH_WARMUP:-2}"
drain="${BENCH_DRAIN:-3}"
rounds="${BENCH_ROUNDS:-1}"
cd "$root"
for tool in node taskset curl psql python3; do
  command -v "$tool" >/dev/null || { echo "realtime.sh: $tool missing: GG_WITH_BENCH=1 bash scripts/install-deps.sh" >&2; exit 1; }
done
[ -d node_modules/ws ] || { echo "realtime.sh: node_modules/ws missing: npm ci" >&2; exit 1; }
[ "$instances" -ge 1 ] || { echo "realtime.sh: instances must be at least 1" >&2; exit 1; }
buses="${BENCH_BUSES:-postgres$(command -v nats-server >/dev/null && echo ' nats')}"

# ---- open files: the load generator holds every subscriber's socket, an instance its share ----
need=$((subscribers + 1024))
soft_before=$(ulimit -Sn)
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$need" ]; then ulimit -Hn "$need" 2>/dev/null || true; hard=$(ulimit -Hn); fi
ulimit -Sn "$hard"
soft=$(ulimit -Sn)
if [ "$soft" != unlimited ] && [ "$soft" -lt "$need" ]; then
  echo "realtime.sh: open files limit $soft (hard $hard) is below the $need needed for $subscribers subscribers; raise it (ulimit -Hn as root) or set BENCH_SUBSCRIBERS" >&2
  exit 1
fi
echo "open files: soft limit raised from $soft_before to $soft (hard limit $hard), $need needed"

build_graphgate() { # build dir -> its graphgate binary (absolute)
  [ -f "$1/build.ninja" ] || meson setup "$1" >/dev/null
  ninja -C "$1" server/graphgate >/dev/null
  (cd "$1" && echo "$PWD/server/graphgate")
}
graphgate=$(build_graphgate "$build")
base_graphgate=""
if [ -n "$baseline" ]; then
  [ -f "$baseline/build.ninja" ] || { echo "realtime.sh: $baseline is not a build directory" >&2; exit 1; }
  base_graphgate=$(build_graphgate "$baseline")
fi
cpus=$(nproc)
server_cpu="${BENCH_SERVER_CPUS:-0}"
client_cpu="${BENCH_CLIENT_CPUS:-$((cpus > 1 ? 1 : 0))}"
[ "$cpus" -gt 1 ] || echo "realtime.sh: only one CPU: servers and load generator share it" >&2

free_port() { python3 "$root/tests/bench/proc_cpu.py" free-port; }
pgdir="$build/bench-rt-pg"
# PostgreSQL's port: below Linux's ephemeral range (32768-60999), where 10,000 client sockets take
# their local ports, and free (as scripts/test.sh chooses its own)
pg_port="${BENCH_PG_PORT:-25329}"
if [ -z "${BENCH_PG_PORT:-}" ]; then
  while (echo >"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
fi
tmp="$(mktemp -d)"
pids=()
echo_pid=""
nats_pid=""
stop_pids() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_pids
  [ -z "$echo_pid" ] || kill -TERM "$echo_pid" 2>/dev/null || true
  [ -z "$nats_pid" ] || kill -TERM "$nats_pid" 2>/dev/null || true
  bash scripts/pg-local.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- PostgreSQL on CPU 0, the schema ----
echo "PostgreSQL under $pgdir on port $pg_port (CPU $server_cpu)"
taskset -c "$server_cpu" bash scripts/pg-local.sh start "$pgdir" "$pg_port" test
db_url="$(bash scripts/pg-local.sh url "$pgdir" "$pg_port")"
cat >"$tmp/graphgate.json" <<JSON
{"threads": $threads, "access_log": false, "schema": ["$root/tests/bench/realtime/schema.graphql"]}
JSON
export GRAPHGATE_DATABASE_URL="$db_url" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
export GRAPHGATE_REALTIME_MAX_CONNECTIONS=$((subscribers + 100))
"$graphgate" migrate -c "$tmp/graphgate.json"

start_instances() { # binary label -> sets urls, gg_pids (comma-separated)
  local bin=$1 label=$2 port
  urls="" gg_pids=""
  for i in $(seq "$instances"); do
    port=$(free_port)
    GRAPHGATE_LISTEN="127.0.0.1:$port" taskset -c "$server_cpu" ${BENCH_WRAP:-} "$bin" -c "$tmp/graphgate.json" 2>"$tmp/$label-$i.log" &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 100); do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ] && break
      kill -0 "$pid" 2>/dev/null || { echo "realtime.sh: graphgate exited:" >&2; cat "$tmp/$label-$i.log" >&2; exit 1; }
      sleep 0.1
    done
    urls+="${urls:+,}http://127.0.0.1:$port/graphql"
    gg_pids+="${gg_pids:+,}$pid"
  done
}

# ---- the floor: a ws echo server on CPU 0 ----
echo_port=$(free_port)
taskset -c "$server_cpu" node tests/bench/realtime.mjs echo-server "$echo_port" >"$tmp/echo.log" 2>&1 &
echo_pid=$!
for _ in $(seq 100); do grep -q listening "$tmp/echo.log" && break; sleep 0.1; done
per_room=$((subscribers / rooms))

# ---- a nats-server on CPU 0 when a run uses the nats bus ----
if [[ " $buses " == *" nats "* ]]; then
  nats_port=$(free_port)
  taskset -c "$server_cpu" nats-server -a 127.0.0.1 -p "$nats_port" >"$tmp/nats.log" 2>&1 &
  nats_pid=$!
  for _ in $(seq 100); do grep -q 'Server is ready' "$tmp/nats.log" && break; sleep 0.1; done
  export GRAPHGATE_REALTIME_NATS_URL="nats://127.0.0.1:$nats_port"
fi

run_bench() { # binary label
  start_instances "$1" "$2"
  echo
  echo "== $2: $instances instance(s) of $1, $threads thread(s) each, realtime.bus ${GRAPHGATE_REALTIME_BUS:-postgres} =="
  taskset -c "$client_cpu" node tests/bench/realtime.mjs subscribe --graphql "$urls" --pids "$gg_pids" \
    --subscribers "$subscribers" --rooms "$rooms" --deliveries "$deliveries" --seconds "$seconds" \
    --warmup "$warmup" --drain "$drain" --protocol "$protocol" --floor-p50 "$floor_p50" --floor-p99 "$floor_p99" |
    tee "$tmp/$2.out" | grep -v '^RESULT '
  grep -h -i 'error\|warn' "$tmp/$2"-*.log | grep -v 'auth: NONE' | sort | uniq -c | head -5 || true
  stop_pids
}

for r in $(seq "$rounds"); do
  echo
  echo "== round $r of $rounds: ws echo floor, $per_room connections, $deliveries messages/s in bursts =="
  floor=$(taskset -c "$client_cpu" node tests/bench/realtime.mjs echo --url "ws://127.0.0.1:$echo_port" \
    --connections "$per_room" --rate "$deliveries" --seconds "$seconds")
  floor_p50=$(echo "$floor" | python3 -c 'import json,sys; print(json.load(sys.stdin)["p50"])')
  floor_p99=$(echo "$floor" | python3 -c 'import json,sys; print(json.load(sys.stdin)["p99"])')
  echo "ws echo: $floor"
  psql -q "$db_url" -c 'TRUNCATE "Message"' 2>/dev/null || true
  [ -z "$base_graphgate" ] || run_bench "$base_graphgate" baseline
  for bus in $buses; do
    psql -q "$db_url" -c 'TRUNCATE "Message"' 2>/dev/null || true
    GRAPHGATE_REALTIME_BUS=$bus run_bench "$graphgate" "graphgate-$bus"
  done
done
kill -TERM "$echo_pid" 2>/dev/null || true
echo
echo "servers (PostgreSQL, graphgate, echo) on CPU $server_cpu, load generator on CPU $client_cpu; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "targets (issue 11): p99 < 50 ms at 10000 deliveries/s, <= 16 KiB per idle subscribed connection"
