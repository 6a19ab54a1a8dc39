#!/usr/bin/env bash
# Installs what graphgate needs to build, run and test on Debian 12, only when something is missing.
# Safe to run again; needs root (or sudo) only when a package is missing.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config
  libh2o-evloop-dev libpq-dev libcjson-dev libjwt-dev libssl-dev libwslay-dev zlib1g-dev libcurl4-openssl-dev
  postgresql postgresql-contrib
  pgbouncer # tests/integration/postgres/pgbouncer, through_pgbouncer and tests/bench/pgbouncer.sh (database.pooler)
  curl openssl clang-format
  prometheus # promtool: tests/integration/metrics checks the /metrics text with promtool check metrics
  libnats-dev # the NATS client library of realtime.bus "nats" (server/realtime/bus_nats.c)
  nats-server # a local NATS server for tests/integration/realtime_nats and scaling
  chromium # headless: tests/integration/console drives the developer console in it (npm playwright-core)
)
if [ "${GG_WITH_BENCH:-0}" = 1 ]; then
  packages+=(wrk nghttp2-client h2o valgrind)
fi

missing=()
# Node.js (for the test clients and graphql-js oracle): any node >= 18 with npm will do.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$root/package-lock.json" ]; then
  if [ ! -d "$root/node_modules" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
