#!/usr/bin/env bash
# pg_native_compare.sh: pg.sh's workloads served from native-typed tables and from the same tables
# with their date-time columns stored as text (as graphgate stored AWSDateTime before native column
# types, issue 12), in ONE run, on one PostgreSQL, one graphgate build: both results and their
# ratios (native / text), so that "unchanged or better with native types" is read off one table.
#
# Usage: tests/bench/pg_native_compare.sh [build dir (default: build)] [seconds per run (default: 10)]
#                                         [connections (default: 8)] [rounds (default: 2)]
# Environment: as pg.sh (BENCH_POSTS, BENCH_COMMENTS, BENCH_WARMUP, BENCH_POOL, BENCH_PG_PORT), and
# BENCH_PLANS: the database.plan values to measure (default "rows", the default plan; "rows json"
# for both).
#
# Set-up: pg_common.sh (pg.sh's: PostgreSQL on CPU 0 under <build>/bench-native-pg, the app of
# tests/bench/pg/, `graphgate migrate`, the seed) gives the native tables in schema public
# ("createdAt"/"updatedAt" timestamptz). `graphgate migrate` with database.schema gg_text makes the
# same tables, keys and indexes in schema gg_text; the rows are copied there and the four date-time
# columns altered to text holding AppSync's AWSDateTime form (aws_datetime of seed.sql), the form
# graphgate wrote them in before; the native tables are reindexed (their indexes grew row by row
# in the seed, the copy's were built sorted by the column rewrite: 47 against 30 pages for Post's
# key), and both schemas are vacuumed, analysed and checkpointed. One
# graphgate per storage and plan (database.schema gg_text for the text one; it warns at start-up
# that migrate would convert the columns, and serves them as they are). Every graphgate's answer to
# each workload is first compared with the hand-written SQL's (pg_common.sh's check_workload: both
# storages answer alike). Then per workload: a warm-up of each graphgate, then rounds in which the
# storages take turns (text first, then native; the order alternates each round); the best round's
# rate and p99 count, PostgreSQL's and graphgate's CPU per request are summed over the rounds
# (pg.sh's with_cpu), and pg_stat_statements gives each storage's executor time per statement
# (the SQL's own cost, apart from how requests share a backend's wake-ups). A benchmark measures: it never fails on a number, only when something cannot
# run; a run with non-200 or "errors" answers is reported as invalid.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_name=pg_native_compare.sh
bench_pgdir=bench-native-pg
# shellcheck source=tests/bench/pg_common.sh
source "$root/tests/bench/pg_common.sh"
plans=(${BENCH_PLANS:-rows})
for plan in "${plans[@]}"; do
  [ "$plan" = rows ] || [ "$plan" = json ] || { echo "$bench_name: BENCH_PLANS: rows or json, got $plan" >&2; exit 2; }
done

# ---- the text-stored copy in schema gg_text ----
copy_to_text_schema
types=$(psql -qAt "$db_url" -c "SELECT string_agg(table_schema || '.' || table_name || '.' || column_name || ' ' || data_type, ', '
  ORDER BY table_schema, table_name) FROM information_schema.columns WHERE column_name = 'createdAt'
  AND table_schema IN ('public', 'gg_text') AND table_name IN ('Post', 'Comment')")
echo "createdAt columns: $types"

# ---- one graphgate per storage and plan ----
declare -A pid_of url_of
for plan in "${plans[@]}"; do
  for storage in text native; do
    port=$(free_port)
    schema_env=()
    [ "$storage" = text ] && schema_env=(GRAPHGATE_DATABASE_SCHEMA=gg_text)
    start_graphgate "$port" "$storage-$plan" GRAPHGATE_DATABASE_PLAN="$plan" "${schema_env[@]}"
    pid_of[$storage-$plan]=$started_pid
    url_of[$storage-$plan]="http://127.0.0.1:$port/graphql"
  done
done
grep -q 'is text but' "$tmp/graphgate-text-${plans[0]}.log" ||
  { echo "$bench_name: the text graphgate does not see text columns:" >&2; cat "$tmp/graphgate-text-${plans[0]}.log" >&2; exit 1; }

# One measured side: "<req/s> <p99> <requests> <bad> <PG CPU us> <graphgate CPU us>"
measure() { # key stem random seconds
  with_cpu "${pid_of[$1]}" run_wrk "${url_of[$1]}" "$2" "$3" "$4"
}

# The executor's time per statement of each storage since the last reset, from pg_stat_statements
# (pg-local.sh preloads it): "<text us> <native us>"; the text graphgate's statements name schema
# gg_text. Wall time inside PostgreSQL, without protocol, parsing or waiting for the client: the
# SQL's own cost, beside the CPU per request that includes how requests share a backend wake-up.
statement_us() {
  psql -qAt "$db_url" -c "SELECT coalesce(string_agg(round(us::numeric, 1)::text, ' ' ORDER BY storage DESC), '0 0') FROM (
    SELECT CASE WHEN query LIKE '%\"gg_text\".%' THEN 'text' ELSE 'native' END AS storage,
           sum(total_exec_time) * 1000 / greatest(sum(calls), 1) AS us
    FROM pg_stat_statements WHERE query LIKE '%\"Post\"%' AND query NOT LIKE '%pg_stat_statements%' GROUP BY 1) s"
}

# ratio of b to a as "1.23x" (n/a when a is 0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2fx", b / a; else printf "n/a" }'; }
per_req() { awk -v c="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", c / n; else printf "0" }'; }

rows=()
for i in "${!names[@]}"; do
  name=${names[$i]} stem=${stems[$i]} random=${randoms[$i]}
  for plan in "${plans[@]}"; do
    for storage in text native; do check_workload "$i" "${url_of[$storage-$plan]}"; done
    echo "$name ($plan plan): warm-up ${warmup}s each, then $rounds round(s) of ${seconds}s per storage"
    for storage in text native; do run_wrk "${url_of[$storage-$plan]}" "$stem" "$random" "$warmup" >/dev/null; done
    psql -qAt "$db_url" -c 'SELECT pg_stat_statements_reset()' >/dev/null
    declare -A best=() p99=() n=() cpu=() own=() bad=()
    for storage in text native; do best[$storage]=0 p99[$storage]=0 n[$storage]=0 cpu[$storage]=0 own[$storage]=0 bad[$storage]=0; done
    for r in $(seq "$rounds"); do
      order=(text native)
      [ $((r % 2)) -eq 0 ] && order=(native text)
      line="  round $r:"
      for storage in "${order[@]}"; do
        read -r rps lat count errors pg gg <<<"$(measure "$storage-$plan" "$stem" "$random" "$seconds")"
        [ -n "$gg" ] || { echo "$bench_name: wrk did not run" >&2; exit 1; }
        n[$storage]=$((n[$storage] + count)) cpu[$storage]=$((cpu[$storage] + pg))
        own[$storage]=$((own[$storage] + gg)) bad[$storage]=$((bad[$storage] + errors))
        if [ "$rps" -gt "${best[$storage]}" ]; then best[$storage]=$rps p99[$storage]=$lat; fi
        line="$line $storage $rps req/s (p99 $lat ms)"
      done
      echo "$line"
    done
    for storage in text native; do
      [ "${bad[$storage]}" -eq 0 ] || { echo "$bench_name: $name $storage: ${bad[$storage]} bad answers: rate invalid" >&2; best[$storage]=invalid; }
    done
    read -r sql_t sql_n <<<"$(statement_us)"
    pg_t=$(per_req "${cpu[text]}" "${n[text]}") pg_n=$(per_req "${cpu[native]}" "${n[native]}")
    gg_t=$(per_req "${own[text]}" "${n[text]}") gg_n=$(per_req "${own[native]}" "${n[native]}")
    rows+=("$(printf '%-22s %-5s %9s %9s %6s %8s %8s %9s %9s %6s %9s %9s %6s %9s %9s %6s' "$name" "$plan" \
      "${best[text]}" "${best[native]}" "$(ratio "${best[text]/invalid/0}" "${best[native]/invalid/0}")" \
      "${p99[text]}" "${p99[native]}" "$pg_t" "$pg_n" "$(ratio "$pg_t" "$pg_n")" \
      "$sql_t" "$sql_n" "$(ratio "$sql_t" "$sql_n")" "$gg_t" "$gg_n" "$(ratio "$gg_t" "$gg_n")")")
    unset best p99 n cpu own bad
  done
done

printf '\n%-22s %-5s %9s %9s %6s %8s %8s %9s %9s %6s %9s %9s %6s %9s %9s %6s\n' "" "" "text" "native" "" "text" "native" \
  "PG us/req" "PG us/req" "" "SQL us" "SQL us" "" "gg us/req" "gg us/req" ""
printf '%-22s %-5s %9s %9s %6s %8s %8s %9s %9s %6s %9s %9s %6s %9s %9s %6s\n' "workload" "plan" "req/s" "req/s" "ratio" \
  "p99 ms" "p99 ms" "text" "native" "ratio" "text" "native" "ratio" "text" "native" "ratio"
for row in "${rows[@]}"; do echo "$row"; done
echo "ratio: native / text (req/s: higher is better; CPU per request and SQL us, the executor's time per" \
  "statement from pg_stat_statements: lower is better). graphgate (1 thread, $pool" \
  "PostgreSQL connections) and PostgreSQL on CPU $server_cpu, wrk on CPU $client_cpu; $conns connections;" \
  "${seconds}s x $rounds rounds, best round's rate, CPU summed over the rounds; $posts posts x $comments comments;" \
  "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
