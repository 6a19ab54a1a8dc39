-- list-10, hand-written (pgbench -M prepared): the first 10 posts in primary key order.
SELECT id, title, body, "createdAt", "updatedAt" FROM "Post" ORDER BY id LIMIT 10;
