-- get-by-id, hand-written (pgbench -M prepared): the post's row by primary key.
\set id random(1, :posts)
SELECT id, title, body, "createdAt", "updatedAt" FROM "Post" WHERE id = :id;
