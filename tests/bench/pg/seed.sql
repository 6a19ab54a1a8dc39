-- seed.sql: the benchmark's data (tests/bench/pg.sh), written straight into the tables that
-- `graphgate migrate` created for schema.graphql: :posts posts, :comments comments each.
-- INSERT ... SELECT generate_series is fast (100,000 rows in about a second). Ids are decimal
-- strings ("4711", comments "4711-3") so both load generators draw them with a plain random
-- integer; timestamps are timestamptz, as migrate makes createdAt and updatedAt. Everything is
-- analysed and checkpointed at the end so that no autovacuum or checkpoint work lands in a
-- measured window.
\set ON_ERROR_STOP on
-- AppSync's AWSDateTime form of a timestamptz, as graphgate writes it out, for the hand-written SQL
-- (a SQL function, inlined by the planner: pgbench would read the colons of the format as variables)
CREATE OR REPLACE FUNCTION aws_datetime(t timestamptz) RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
TRUNCATE "Comment", "Post";
INSERT INTO "Post" (id, title, body, "createdAt", "updatedAt")
SELECT n::text, 'Post ' || n, 'Body of post ' || n || ': ' || repeat('lorem ipsum dolor sit amet ', 4), ts, ts
FROM generate_series(1, :posts) AS n,
     LATERAL (SELECT (timestamp '2026-01-01' + n * interval '1 minute') AT TIME ZONE 'UTC' AS ts) AS t;
INSERT INTO "Comment" (id, body, author, "createdAt", "updatedAt", "postCommentsId")
SELECT p || '-' || k, 'Comment ' || k || ' on post ' || p, 'user' || (p * 7 + k) % 100 || '@example.com',
       ts, ts, p::text
FROM generate_series(1, :posts) AS p, generate_series(1, :comments) AS k,
     LATERAL (SELECT (timestamp '2026-01-01' + p * interval '1 minute' + k * interval '1 second')
                     AT TIME ZONE 'UTC' AS ts) AS t;
VACUUM ANALYZE "Post";
VACUUM ANALYZE "Comment";
CHECKPOINT;
