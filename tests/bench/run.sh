#!/usr/bin/env bash
# run.sh: the parse+validate benchmark, graphgate against graphql-js in the same run.
#
# Usage: tests/bench/run.sh [build dir (default: build)] [seconds per document (default: 3)]
#
# Documents: tests/bench/query.graphql (a ~2 KB dashboard query) and graphql-js's
# getIntrospectionQuery() text with every option on (written to a temporary file from the pinned
# graphql-js in node_modules), both against the AppSync blog schema of the differential corpus.
# Prints docs/second for each engine and the ratio. A benchmark measures: it never fails on a
# number; it fails only when something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-3}"
cd "$root"
[ -d node_modules/graphql ] || npm ci --no-audit --no-fund --loglevel=error
ninja -C "$build" tests/bench/parse_validate >/dev/null

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node -e "const g = require('graphql'); process.stdout.write(g.getIntrospectionQuery({descriptions: true,
  specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true,
  oneOf: true}))" >"$tmp/introspection.graphql"
schema=tests/differential/corpus/appsync/schema.graphql
docs=(tests/bench/query.graphql "$tmp/introspection.graphql")

"$build/tests/bench/parse_validate" --appsync --seconds "$seconds" "$schema" "${docs[@]}" | tee "$tmp/gg.out"
node tests/bench/parse_validate.mjs --appsync --seconds "$seconds" "$schema" "${docs[@]}" | tee "$tmp/js.out"

echo
printf '%-28s %14s %14s %8s\n' document graphgate/s graphql-js/s ratio
for doc in "${docs[@]}"; do
  gg=$(awk -v f="$doc" '$2 == f {print $3}' "$tmp/gg.out")
  js=$(awk -v f="$doc" '$2 == f {print $3}' "$tmp/js.out")
  name=$(basename "$doc")
  if [ -n "$gg" ] && [ -n "$js" ] && [ "$js" != 0 ]; then
    ratio=$(awk -v a="$gg" -v b="$js" 'BEGIN {printf "%.1fx", a / b}')
  else
    ratio="n/a"
  fi
  printf '%-28s %14s %14s %8s\n' "$name" "${gg:-n/a}" "${js:-n/a}" "$ratio"
done
echo "(target: graphgate at least 30x graphql-js)"
