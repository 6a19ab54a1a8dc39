#!/usr/bin/env python3
"""pg_dates.py: PostgreSQL's CPU per statement for the ways graphgate can send a timestamptz
column out, on list-10 of tests/bench/pg.sh (10 posts, createdAt and updatedAt), in one run.

    tests/bench/pg_dates.py DATABASE_URL [statements per run (default 20000)] [rounds (default 3)]

Variants: the text columns graphgate stored before native types (the baseline), to_char in SQL
(2891172, which halved list-10's rate), date_part('epoch') written out in C (its text depends on
neither TimeZone nor DateStyle), extract(epoch) (a numeric) for reference, and timestamptz's own
output, what the rows plan selects now (resolvers/postgres/pg_model.c reads its ISO text; the pool
sets DateStyle ISO). A DO loop plans its statement once: what date_part costs in parse analysis
and planning per statement (pgbench -M extended) is not in these numbers. Each run is one backend executing the
statement N times in a DO loop, every column turned into text (concat_ws calls each output
function, as sending the row would); the backend's utime+stime from /proc/<pid>/stat (so the
database must run on this machine) over N. The rounds alternate the variants; the cheapest
round of each counts. CPU time moves far less than rates with other load on the machine. Its
tables are gg_bench_dates_*, made and dropped here. It only measures: it never fails on a number."""
import os
import subprocess
import sys

url = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
AWS = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'"
COLS = 't."id", t."title", t."body"'
VARIANTS = [
    ("text columns (before native types)", f'SELECT {COLS}, t."createdAt", t."updatedAt" FROM gg_bench_dates_text t'),
    ("to_char in SQL (2891172)", f'SELECT {COLS}, to_char(t."createdAt" AT TIME ZONE \'UTC\', {AWS}), '
                                 f'to_char(t."updatedAt" AT TIME ZONE \'UTC\', {AWS}) FROM gg_bench_dates_tz t'),
    ("date_part('epoch'), written in C (before raw columns)", f'SELECT {COLS}, date_part(\'epoch\', t."createdAt"), '
                                               f'date_part(\'epoch\', t."updatedAt") FROM gg_bench_dates_tz t'),
    ("extract(epoch), numeric", f'SELECT {COLS}, extract(epoch from t."createdAt"), '
                                f'extract(epoch from t."updatedAt") FROM gg_bench_dates_tz t'),
    ("timestamptz output, read in C (now)", f'SELECT {COLS}, t."createdAt", t."updatedAt" FROM gg_bench_dates_tz t'),
]
SETUP = f"""
DROP TABLE IF EXISTS gg_bench_dates_text, gg_bench_dates_tz;
CREATE TABLE gg_bench_dates_tz (id text PRIMARY KEY, title text NOT NULL, body text,
  "createdAt" timestamptz(3) NOT NULL, "updatedAt" timestamptz(3) NOT NULL);
INSERT INTO gg_bench_dates_tz SELECT n::text, 'Post ' || n, 'Body of post ' || n || ': ' ||
  repeat('lorem ipsum dolor sit amet ', 4), ts, ts FROM generate_series(1, 10000) AS n,
  LATERAL (SELECT (timestamp '2026-01-01' + n * interval '1 minute') AT TIME ZONE 'UTC' AS ts) AS x;
CREATE TABLE gg_bench_dates_text AS SELECT id, title, body,
  to_char("createdAt" AT TIME ZONE 'UTC', {AWS}) AS "createdAt", to_char("updatedAt" AT TIME ZONE 'UTC', {AWS}) AS "updatedAt"
  FROM gg_bench_dates_tz;
ALTER TABLE gg_bench_dates_text ADD PRIMARY KEY (id);
VACUUM ANALYZE gg_bench_dates_tz; VACUUM ANALYZE gg_bench_dates_text;
"""


def psql(sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=sql, text=True, check=True)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(statement):
    p = subprocess.Popen(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", url], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    p.stdin.write("SELECT pg_backend_pid();\n")
    p.stdin.flush()
    pid = int(p.stdout.readline())
    before = cpu_seconds(pid)
    p.stdin.write(f"DO $$ BEGIN FOR i IN 1..{count} LOOP PERFORM (SELECT string_agg(concat_ws('|', q.*), ',') "
                  f"FROM ({statement} ORDER BY t.\"id\" LIMIT 10) q); END LOOP; END $$;\nSELECT 1;\n")
    p.stdin.flush()
    p.stdout.readline()
    after = cpu_seconds(pid)
    p.stdin.close()
    p.wait()
    return (after - before) / count * 1e6


psql(SETUP)
best = {}
try:
    for r in range(rounds):
        for name, statement in VARIANTS:
            us = run(statement)
            best[name] = min(best.get(name, us), us)
            print(f"round {r + 1}: {name}: {us:.1f} us", flush=True)
finally:
    psql("DROP TABLE IF EXISTS gg_bench_dates_text, gg_bench_dates_tz;")
base = best[VARIANTS[0][0]]
print(f"\nPostgreSQL CPU per list-10 statement ({count} per run, best of {rounds} rounds; loadavg "
      f"{os.getloadavg()[0]:.1f})")
for name, _ in VARIANTS:
    print(f"  {name:42s} {best[name]:6.1f} us  {best[name] / base:5.2f}x")
