-- list-10, hand-written (pgbench -M prepared): the first 10 posts in primary key order
-- (timestamps in the AWSDateTime form).
SELECT id, title, body, to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
       to_char("updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
FROM "Post" ORDER BY id LIMIT 10;
