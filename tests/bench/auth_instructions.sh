#!/usr/bin/env bash
# auth_instructions.sh: instructions per request authorization, counted by callgrind, for one or
# two builds in one run (a baseline build first, then this one): an API key, a cached RS256 JWT,
# an RS256 JWT that misses the full cache (verification and eviction), and OpenSSL's RSA-2048
# verify alone (the floor of the miss), and, with callgrind's cache simulation, the data cache
# misses of an HS256 miss in a full cache of a worker's size. Instruction counts do not depend on the machine's load,
# which makes them the number to compare on the shared VM; auth_http.sh gives the CPU time.
#
# Usage: tests/bench/auth_instructions.sh [build dir (default: build)] [baseline build dir] [count (default: 2000)]
# Each build dir is a normal (non-sanitizer) build; tests/bench/auth_calls is built in it. A baseline
# may also be a directory holding only tests/bench/auth_calls (another commit's). valgrind
# hides SHA-NI from OpenSSL, so the SHA-256 of a token counts as the portable code's about 35 instructions
# per byte, several times what it costs on this CPU.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
build="${1:-build}"
baseline="${2:-}"
count="${3:-2000}"
command -v valgrind >/dev/null || { echo "auth_instructions.sh: valgrind is not installed" >&2; exit 1; }
for b in "$build" ${baseline:+"$baseline"}; do [ ! -f "$b/build.ninja" ] || ninja -C "$b" tests/bench/auth_calls >/dev/null; done

instructions() { # build case -> instructions per call
  local out
  out=$(valgrind --tool=callgrind --toggle-collect=run_case --callgrind-out-file=/dev/null \
    "$1/tests/bench/auth_calls" "$2" "$count" 2>&1) || { echo "$out" >&2; exit 1; }
  awk -v n="$count" '/Collected :/ {printf "%.0f", $4 / n}' <<<"$out"
}
# build -> "instructions D1-misses LL-misses" per call of miss_full (data reads and writes), from
# callgrind's cache simulation (the host's cache sizes): what a miss costs in memory traffic when
# the cache is a worker's full 4096 entries.
memory() {
  local out
  out=$(valgrind --tool=callgrind --cache-sim=yes --toggle-collect=run_case --callgrind-out-file=/dev/null \
    "$1/tests/bench/auth_calls" miss_full "$full_count" 2>&1) || { echo "$out" >&2; exit 1; }
  # Collected : Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
  awk -v n="$full_count" '/Collected :/ {printf "%.0f %.1f %.2f", $4 / n, ($8 + $9) / n, ($11 + $12) / n}' <<<"$out"
}
full_count=$((count * 10))

cases=(key cached miss verify)
labels=("API key" "JWT RS256, cached" "JWT RS256, not cached (full cache)" "EVP_PKEY_verify RSA-2048 alone")
declare -A before after
for c in "${cases[@]}"; do
  [ -z "$baseline" ] || before[$c]=$(instructions "$baseline" "$c")
  after[$c]=$(instructions "$build" "$c")
done
printf '%-38s %14s %14s %8s\n' "instructions per authorization" "${baseline:+baseline}" "$build" "change"
for i in "${!cases[@]}"; do
  c=${cases[$i]}
  change=""
  [ -z "$baseline" ] || change=$(awk -v a="${before[$c]}" -v b="${after[$c]}" 'BEGIN {printf "%+.1f%%", (b - a) * 100 / a}')
  printf '%-38s %14s %14s %8s\n' "${labels[$i]}" "${before[$c]:-}" "${after[$c]}" "$change"
done
over() { awk -v m="$1" -v v="$2" 'BEGIN {printf "%.0f", m - v}'; }
echo "not cached, beyond EVP_PKEY_verify: ${baseline:+$(over "${before[miss]}" "${before[verify]}") before, }$(over "${after[miss]}" "${after[verify]}") instructions"

echo
echo "HS256 tokens missing a full cache of 4096 (4 x 4096 in turn, $full_count calls; callgrind --cache-sim=yes)"
printf '%-38s %14s %14s %14s\n' "per authorization" "instructions" "D1 misses" "LL misses"
[ -z "$baseline" ] || { read -r i d l <<<"$(memory "$baseline")"; printf '%-38s %14s %14s %14s\n' "$baseline" "$i" "$d" "$l"; }
read -r i d l <<<"$(memory "$build")"
printf '%-38s %14s %14s %14s\n' "$build" "$i" "$d" "$l"
