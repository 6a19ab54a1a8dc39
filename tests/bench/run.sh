#!/usr/bin/env bash
# run.sh: the parse+validate benchmark, graphgate against graphql-js in the same run.
#
# Usage: tests/bench/run.sh [build dir (default: build)] [seconds per document (default: 3)] [rounds (default: 3)]
#
# Documents: tests/bench/query.graphql (a ~2 KB dashboard query) and graphql-js's
# getIntrospectionQuery() text with every option on (written to a temporary file from the pinned
# graphql-js in node_modules), both against the AppSync blog schema of the differential corpus.
# The engines take turns for several rounds (so that a busy machine slows both alike) and the
# best round of each counts. Prints docs/second for each engine and the ratio. A benchmark
# measures: it never fails on a number; it fails only when something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-3}"
rounds="${3:-3}"
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

for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  "$build/tests/bench/parse_validate" --appsync --seconds "$seconds" "$schema" "${docs[@]}" | tee -a "$tmp/gg.out"
  node tests/bench/parse_validate.mjs --appsync --seconds "$seconds" "$schema" "${docs[@]}" | tee -a "$tmp/js.out"
done

echo
echo "best of $rounds rounds, documents per CPU-second:"
printf '%-28s %14s %14s %8s\n' document graphgate graphql-js ratio
for doc in "${docs[@]}"; do
  gg=$(awk -v f="$doc" '$2 == f && $3 > best {best = $3} END {if (best) print best}' "$tmp/gg.out")
  js=$(awk -v f="$doc" '$2 == f && $3 > best {best = $3} END {if (best) print best}' "$tmp/js.out")
  name=$(basename "$doc")
  if [ -n "$gg" ] && [ -n "$js" ] && [ "$js" != 0 ]; then
    ratio=$(awk -v a="$gg" -v b="$js" 'BEGIN {printf "%.1fx", a / b}')
  else
    ratio="n/a"
  fi
  printf '%-28s %14s %14s %8s\n' "$name" "${gg:-n/a}" "${js:-n/a}" "$ratio"
done
echo "(target: graphgate at least 30x graphql-js)"
