-- get-by-id, hand-written (pgbench -M prepared): the post's row by primary key, its timestamptz
-- columns in AppSync's AWSDateTime form as graphgate gives them.
\set id random(1, :posts)
SELECT id, title, body, aws_datetime("createdAt") AS "createdAt",
       aws_datetime("updatedAt") AS "updatedAt"
FROM "Post" WHERE id = :id;
