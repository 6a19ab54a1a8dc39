#!/bin/sh
# build.sh: builds the libFuzzer harnesses with clang (AddressSanitizer + UndefinedBehaviorSanitizer).
#
#   tests/fuzz/build.sh [BUILD_DIR]        (default: build-fuzz, under the repository root)
#
# Meson builds everything in BUILD_DIR with clang and -fsanitize=fuzzer-no-link (coverage
# instrumentation without libFuzzer's main) and, with -Dfuzzer=true, links each harness with
# -fsanitize=fuzzer (tests/fuzz/meson.build), so the harnesses get whatever libraries the gateway
# links. The programs land in BUILD_DIR/tests/fuzz/: fuzz_parse, fuzz_schema, fuzz_request. How to
# run them: README.md.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" --buildtype=debugoptimized -Dwerror=false -Dfuzzer=true \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
else
  meson configure "$build" -Dfuzzer=true
fi
ninja -C "$build" tests/fuzz/fuzz_parse tests/fuzz/fuzz_schema tests/fuzz/fuzz_request
for t in parse schema request; do
  echo "built $build/tests/fuzz/fuzz_$t"
done
