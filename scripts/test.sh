#!/usr/bin/env bash
# Builds graphgate and runs every test: unit, integration and differential suites, once in a
# normal build (build/) and once under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
# Installs what is missing first. Ends with one line "N passed, N failed" counting test programs.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh || { echo "install-deps failed"; exit 1; }

# A private PostgreSQL for the integration tests, on a free loopback port, data under build/, in
# pg-local's test mode (fsync off: nothing to keep after a crash). The port is below Linux's
# ephemeral range (32768-60999), where an outgoing connection's local port could take it.
pg_dir="$root/build/pgdata"
pg_port=24329
while (echo >"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
mkdir -p "$root/build"
bash scripts/pg-local.sh start "$pg_dir" "$pg_port" test || { echo "cannot start PostgreSQL for the tests"; exit 1; }
trap 'bash "$root/scripts/pg-local.sh" stop "$pg_dir"' EXIT
export GRAPHGATE_TEST_DATABASE_URL="$(bash scripts/pg-local.sh url "$pg_dir" "$pg_port")"
export GRAPHGATE_TEST_PGDATA="$pg_dir"

passed=0
failed=0
# Formatting: every C file as .clang-format says (a difference fails the run, with the fix command).
echo "=== format"
if bash scripts/check-format.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
run_suite() { # name, build dir, extra meson args...
  local name="$1" dir="$2"
  shift 2
  echo "=== $name ($dir)"
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null || { echo "meson setup failed"; failed=$((failed + 1)); return; }
  fi
  if ! ninja -C "$dir" >"$dir/ninja.log" 2>&1; then
    tail -40 "$dir/ninja.log"
    echo "build failed: $dir"
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2 -t "${GG_TEST_TIMEOUT_MULTIPLIER:-1}" >"$dir/meson-test.out" 2>&1
  tail -n 60 "$dir/meson-test.out"
  local out ok fail timeout
  out=$(meson test -C "$dir" --no-rebuild --list 2>/dev/null | wc -l)
  ok=$(grep -E '^Ok:' "$dir/meson-test.out" | awk '{print $2}')
  fail=$(grep -E '^(Fail|Timeout|Unexpected Pass):' "$dir/meson-test.out" | awk '{s += $NF} END {print s + 0}')
  ok=${ok:-0}
  if [ "$((ok + fail))" -lt "$out" ]; then fail=$((out - ok)); fi
  passed=$((passed + ok))
  failed=$((failed + fail))
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"

run_suite "tests" build
run_suite "tests under ASan+UBSan" build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

echo "programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
