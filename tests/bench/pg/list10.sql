-- list-10, hand-written (pgbench -M prepared): the first 10 posts in primary key order
-- (timestamps in the AWSDateTime form).
SELECT id, title, body, aws_datetime("createdAt") AS "createdAt",
       aws_datetime("updatedAt") AS "updatedAt"
FROM "Post" ORDER BY id LIMIT 10;
