-- get-by-id, hand-written (pgbench -M prepared): the post's row by primary key, its timestamptz
-- columns in AppSync's AWSDateTime form as graphgate gives them.
\set id random(1, :posts)
SELECT id, title, body, to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
       to_char("updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
FROM "Post" WHERE id = :id;
