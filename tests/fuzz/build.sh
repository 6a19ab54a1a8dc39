#!/bin/sh
# build.sh: builds the libFuzzer harnesses with clang (AddressSanitizer + UndefinedBehaviorSanitizer).
#
#   tests/fuzz/build.sh [BUILD_DIR]        (default: build-fuzz, under the repository root)
#
# The engine library is built by meson in BUILD_DIR with clang and -fsanitize=fuzzer-no-link
# (coverage instrumentation without libFuzzer's main), then each harness is linked with
# -fsanitize=fuzzer. The programs land in BUILD_DIR/fuzz/: fuzz_parse, fuzz_schema, fuzz_request.
# How to run them: README.md.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" --buildtype=debugoptimized -Dwerror=false \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
fi
# whole requests run through the gateway (server/libggcore.a), which binds the PostgreSQL resolvers
ninja -C "$build" libggengine.a server/libggcore.a resolvers/postgres/libggpostgres.a

mkdir -p "$build/fuzz"
for t in parse schema request; do
  clang -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer $san -std=c17 -D_DEFAULT_SOURCE -DH2O_USE_LIBUV=0 \
    -I"$root/server" -I"$root/server/graphql" -I"$root/resolvers/postgres" $(pkg-config --cflags libh2o-evloop libpq) \
    "$root/tests/fuzz/fuzz_$t.c" "$build/server/libggcore.a" "$build/resolvers/postgres/libggpostgres.a" \
    "$build/libggengine.a" $(pkg-config --libs libh2o-evloop libpq openssl) -lcjson -lm -lpthread \
    -o "$build/fuzz/fuzz_$t"
  echo "built $build/fuzz/fuzz_$t"
done
