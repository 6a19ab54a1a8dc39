#!/usr/bin/env bash
# test-deploy.sh: builds the container images of deploy/ with podman and runs deploy/compose.yaml
# (PostgreSQL, `graphgate migrate`, two graphgate replicas, HAProxy), then checks that both replicas
# are ready, that a mutation and a query go through the load balancer, and that both replicas served
# requests. Not part of scripts/test.sh (it installs packages, builds four images: several minutes).
# Needs root on Debian 12; no container registry: when debian:bookworm-slim cannot be pulled, the
# base image is made locally with debootstrap from the apt mirror (see ../shared/docs/containers.md).
# It also checks that a subscription through the load balancer receives a mutation sent to the
# other replica, and that stopping one replica with SIGTERM under load fails no request (the
# clients: scripts/deploy-clients.mjs, with the repository's node_modules).
#   scripts/test-deploy.sh            GG_HTTP_PORT=18080 (the load balancer, on 127.0.0.1)
#   GG_DEPLOY_KEEP=1                  leave the containers running at the end
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
project=ggdeploy
export GG_HTTP_PORT="${GG_HTTP_PORT:-18080}"
export GG_API_KEY="da2-deploy-test-$(openssl rand -hex 8)"
export POSTGRES_PASSWORD="$(openssl rand -hex 12)"
say() { echo "test-deploy: $*"; }
fail() { echo "test-deploy: FAIL: $*" >&2; exit 1; }

# 1. podman, buildah, debootstrap and docker-compose from Debian; the host settings podman needs here.
# Debian 12's podman uses CNI networks when netavark is not installed, and a CNI network resolves the
# compose services' names (db, graphgate-1 ...) only with the dnsname plugin, which podman does not
# pull in: without it `graphgate migrate` cannot find "db".
missing=()
for p in podman buildah debootstrap docker-compose curl golang-github-containernetworking-plugin-dnsname; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# crun refuses hybrid cgroups while hugetlb sits on cgroup2; podman's default nofile limit needs CAP_SYS_RESOURCE.
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
  mkdir -p /sys/fs/cgroup/hugetlb
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb || true
fi
if ! grep -qs default_ulimits /etc/containers/containers.conf; then
  mkdir -p /etc/containers
  cat >>/etc/containers/containers.conf <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=20000:20000"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
fi

# 2. The base image: pulled when a registry answers, else debootstrap'd (minbase) from the apt mirror.
base=docker.io/library/debian:bookworm-slim
if ! podman image exists "$base"; then
  if ! timeout 60 podman pull -q "$base" >/dev/null 2>&1; then
    mirror=$( (grep -hoE '^deb +(\[[^]]*\] +)?[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true) |
      awk '{print $NF}' | head -1)
    [ -n "$mirror" ] || mirror=$( (grep -hoE '^URIs: +[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null || true) | awk '{print $2}' | head -1)
    [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
    rootfs=$(mktemp -d /tmp/gg-rootfs.XXXXXX)
    say "no registry: debootstrap bookworm from $mirror"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/{man,info,locale}/*
    tar -C "$rootfs" --numeric-owner -c . | podman import -q --change 'CMD ["bash"]' - localhost/debian:bookworm-slim >/dev/null
    rm -rf "$rootfs"
    podman tag localhost/debian:bookworm-slim "$base"
  fi
fi

# 3. The images (the same Dockerfiles build anywhere; docker format: OCI images drop HEALTHCHECK).
t0=$(date +%s)
podman build -q --format docker -f deploy/Dockerfile -t localhost/graphgate:dev . >/dev/null
podman build -q --format docker -f deploy/postgres/Dockerfile -t localhost/graphgate-postgres:dev . >/dev/null
podman build -q --format docker -f deploy/haproxy/Dockerfile -t localhost/graphgate-haproxy:dev . >/dev/null
podman build -q --format docker -f deploy/pgbouncer/Dockerfile -t localhost/graphgate-pgbouncer:dev . >/dev/null
say "images built in $(($(date +%s) - t0)) s; graphgate image: $(podman image inspect localhost/graphgate:dev --format '{{.Size}}' | awk '{printf "%.1f MB", $1/1e6}')"
podman run --rm localhost/graphgate:dev --version
podman image inspect localhost/graphgate:dev --format '{{.HealthCheck.Test}}' | grep -q /healthz || fail "no HEALTHCHECK in the image"
[ "$(podman run --rm --entrypoint id localhost/graphgate:dev -u)" != 0 ] || fail "the image runs as root"

# 4. compose through podman's Docker API socket.
sock=$(mktemp -u /tmp/gg-podman.XXXXXX.sock)
podman system service --time=0 "unix://$sock" &
svc=$!
compose() { DOCKER_HOST="unix://$sock" docker-compose -p "$project" -f deploy/compose.yaml "$@"; }
cleanup() {
  if [ "${GG_DEPLOY_KEEP:-0}" != 1 ]; then
    compose down -v -t 5 >/dev/null 2>&1 || true
    podman network rm -f "${project}_default" >/dev/null 2>&1 || true
  fi
  kill "$svc" 2>/dev/null || true
  rm -f "$sock"
}
trap cleanup EXIT
for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
compose down -v -t 2 >/dev/null 2>&1 || true

compose up -d --no-build db
for i in $(seq 1 60); do
  podman exec "${project}_db_1" /usr/lib/postgresql/15/bin/pg_isready -q -h /tmp -d graphgate 2>/dev/null && break
  [ "$i" = 60 ] && { podman logs "${project}_db_1"; fail "PostgreSQL did not start"; }
  sleep 1
done
# graphgate migrate as the init step: it must finish with status 0 before the replicas start.
compose run --rm --no-deps migrate || fail "graphgate migrate failed"
compose up -d --no-build graphgate-1 graphgate-2 lb

# 5. Both replicas ready (inside their containers), and through the load balancer.
for r in graphgate-1 graphgate-2; do
  for i in $(seq 1 60); do
    podman exec "${project}_${r}_1" curl -fsS -o /dev/null http://127.0.0.1:8080/readyz 2>/dev/null && break
    [ "$i" = 60 ] && { podman logs "${project}_${r}_1"; fail "$r is not ready"; }
    sleep 1
  done
  say "$r ready"
done
lb="http://127.0.0.1:$GG_HTTP_PORT"
for i in $(seq 1 30); do
  curl -fsS -o /dev/null "$lb/readyz" 2>/dev/null && break
  [ "$i" = 30 ] && { podman logs "${project}_lb_1"; fail "the load balancer does not answer"; }
  sleep 1
done
gql() { curl -sS "$lb/graphql" -H 'content-type: application/json' -H "x-api-key: $GG_API_KEY" -d "$1"; }
out=$(gql '{"query":"mutation { createTodo(input: {id: \"deploy-1\", name: \"through the load balancer\"}) { id name } }"}')
grep -q '"createTodo":{"id":"deploy-1","name":"through the load balancer"}' <<<"$out" || fail "mutation: $out"
for i in $(seq 1 10); do
  out=$(gql '{"query":"{ getTodo(id: \"deploy-1\") { name status } }"}')
  grep -q '"getTodo":{"name":"through the load balancer","status":"OPEN"}' <<<"$out" || fail "query $i: $out"
done
say "mutation and 10 queries through the load balancer answered"
# The example turns the developer console on: the image carries its files (GraphiQL from npm).
curl -fsS -H 'accept: text/html' "$lb/graphql" | grep -q '<title>graphgate console</title>' || fail "console page"
curl -fsS -o /dev/null "$lb/graphql/console/graphiql.min.js" || fail "console script"
say "the console and its script are served"
# Round robin: both replicas' access logs show GraphQL requests.
for r in graphgate-1 graphgate-2; do
  n=$(podman logs "${project}_${r}_1" 2>/dev/null | grep -c '/graphql' || true)
  [ "$n" -gt 0 ] || fail "$r served no GraphQL request through the load balancer"
  say "$r served $n GraphQL requests"
done

# 6. A subscription through the load balancer receives mutations sent to each replica directly
#    (inside its container): whichever replica holds the subscription, the other one's mutation
#    crosses over the realtime bus (PostgreSQL LISTEN/NOTIFY).
command -v node >/dev/null && [ -d node_modules/graphql-ws ] || fail "node and node_modules (graphql-ws, ws) are needed"
tmp=$(mktemp -d)
# Whether a container's log holds a pattern: the log is read whole first (grep -q on a pipe stops
# reading at the first match, podman dies of SIGPIPE and pipefail takes that for a failure).
log_has() { podman logs "${project}_$1_1" >"$tmp/$1.log" 2>&1; grep -q -- "$2" "$tmp/$1.log"; }
node scripts/deploy-clients.mjs subscribe "ws://127.0.0.1:$GG_HTTP_PORT/graphql" "$GG_API_KEY" 2 >"$tmp/sub.out" 2>&1 &
sub=$!
for i in $(seq 1 100); do
  grep -q '^subscribed' "$tmp/sub.out" && break
  kill -0 "$sub" 2>/dev/null || fail "subscription: $(cat "$tmp/sub.out")"
  [ "$i" = 100 ] && fail "the subscription did not start: $(cat "$tmp/sub.out")"
  sleep 0.2
done
holder=none
for r in graphgate-1 graphgate-2; do
  log_has "$r" '"status":101' && holder=$r
done
for r in graphgate-1 graphgate-2; do
  body="{\"query\":\"mutation { createTodo(input: {id: \\\"sub-$r\\\", name: \\\"sent to $r\\\"}) { id } }\"}"
  out=$(podman exec "${project}_${r}_1" curl -sS http://127.0.0.1:8080/graphql -H 'content-type: application/json' \
    -H "x-api-key: $GG_API_KEY" -d "$body")
  grep -q "\"id\":\"sub-$r\"" <<<"$out" || fail "mutation sent to $r: $out"
done
wait "$sub" || fail "subscription through the load balancer: $(cat "$tmp/sub.out")"
for r in graphgate-1 graphgate-2; do
  grep -q "^event sub-$r\$" "$tmp/sub.out" || fail "the subscriber did not receive the mutation sent to $r: $(cat "$tmp/sub.out")"
done
say "a subscription through the load balancer (on $holder) received the mutations sent to both replicas"

# 7. One replica stopped with SIGTERM under load: no request fails. HAProxy retries a request whose
#    connection the draining replica refused or closed unanswered (haproxy.cfg) and drops the
#    replica from rotation; graphgate finishes what it is answering and exits 0.
node scripts/deploy-clients.mjs load "$lb/graphql" "$GG_API_KEY" 15 8 >"$tmp/load.out" 2>&1 &
load=$!
sleep 5
podman stop -t 15 "${project}_graphgate-1_1" >/dev/null &
stopper=$!
load_ok=1
wait "$load" || load_ok=0
wait "$stopper" || true
[ "$load_ok" = 1 ] || fail "requests failed while graphgate-1 stopped: $(cat "$tmp/load.out")"
code=$(podman inspect "${project}_graphgate-1_1" --format '{{.State.ExitCode}}')
[ "$code" = 0 ] || fail "graphgate-1 exited with $code after SIGTERM"
log_has graphgate-1 'SIGTERM received' || fail "graphgate-1 did not log its SIGTERM"
say "graphgate-1 stopped with SIGTERM under load (exit 0), no request failed: $(cat "$tmp/load.out")"
rm -rf "$tmp"
say "PASS"
