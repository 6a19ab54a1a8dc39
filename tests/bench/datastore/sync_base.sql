-- sync-base-1000, hand-written (pgbench -M prepared): the first 1,000 posts (tombstones included:
-- a base page has no _deleted condition) in primary key order.
SELECT id, title, body, rank, "_version", "_lastChangedAt", "_deleted" FROM "Post" ORDER BY id LIMIT 1000;
