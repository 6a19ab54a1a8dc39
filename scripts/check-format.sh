#!/usr/bin/env bash
# Checks that every C file of the repository is formatted with the checked-in .clang-format.
# Prints the files that differ and the command that fixes them; exits 1 when any differs.
#
#   scripts/check-format.sh          check (the test command runs this)
#   scripts/check-format.sh --fix    format every file in place
set -uo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format missing (bash scripts/install-deps.sh)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
# One run over every file; each file that differs is named in a "file:line:col: error:" line.
mapfile -t bad < <(clang-format --dry-run -Werror "${files[@]}" 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error:.*/\1/p' | sort -u)
if [ "${#bad[@]}" -gt 0 ]; then
  echo "check-format: ${#bad[@]} file(s) differ from .clang-format:"
  printf '  %s\n' "${bad[@]}"
  echo "fix with: bash scripts/check-format.sh --fix   (or clang-format -i FILE)"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
