-- sync-delta-100, hand-written (pgbench -M prepared): the posts whose keys were logged since
-- lastSync (@LAST_SYNC@, filled in at run time), first page of 100 in primary key order.
SELECT id, title, body, rank, "_version", "_lastChangedAt", "_deleted" FROM "Post"
WHERE id IN (SELECT pk FROM graphgate_changes WHERE model = 'Post' AND changed_at >= @LAST_SYNC@)
ORDER BY id LIMIT 100;
