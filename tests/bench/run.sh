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
# best rate of a document in an output file; field 3: parse+validate, the one after "alone": parse
best() { # file, document, parse|validate
  awk -v f="$2" -v what="$3" '$2 == f {
      v = $3
      if (what == "parse") for (i = 1; i < NF; i++) if ($i == "alone") v = $(i + 1)
      if (v + 0 > best) best = v + 0
    } END {if (best) print best}' "$1"
}
echo "best of $rounds rounds, documents per CPU-second:"
printf '%-24s %-15s %12s %12s %8s\n' document work graphgate graphql-js ratio
for doc in "${docs[@]}"; do
  for what in validate parse; do
    gg=$(best "$tmp/gg.out" "$doc" "$what")
    js=$(best "$tmp/js.out" "$doc" "$what")
    if [ -n "$gg" ] && [ -n "$js" ]; then
      ratio=$(awk -v a="$gg" -v b="$js" 'BEGIN {printf "%.1fx", a / b}')
    else
      ratio="n/a"
    fi
    label="parse+validate"
    [ "$what" = parse ] && label="parse alone"
    printf '%-24s %-15s %12s %12s %8s\n' "$(basename "$doc")" "$label" "${gg:-n/a}" "${js:-n/a}" "$ratio"
  done
done
echo "(target: graphgate at least 30x graphql-js for parse+validate)"
