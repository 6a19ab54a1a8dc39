-- seed.sql: the DataStore benchmark's data (tests/bench/datastore.sh), written straight into the
-- tables `graphgate migrate` made for schema.graphql: :posts posts and as many notes, and the change
-- log of Post: one old change per post (two hours ago) and 100 recent ones (ten minutes ago, each on
-- another post, whose row carries that change: _version 2, its _lastChangedAt). The benchmark's
-- lastSync is one hour ago, so a delta page is exactly the 100 recent changes, read among
-- :posts + 100 log entries. Everything is analysed and checkpointed at the end so that no
-- autovacuum or checkpoint work lands in a measured window.
\set ON_ERROR_STOP on
TRUNCATE "Post", "Note", graphgate_changes;
INSERT INTO "Post" (id, title, body, rank, "createdAt", "updatedAt", "_version", "_lastChangedAt")
SELECT n::text, 'Post ' || n, 'Body of post ' || n || ': ' || repeat('lorem ipsum dolor sit amet ', 4), n, now(), now(), 1,
       (floor(extract(epoch from now()) * 1000))::bigint - 7200000
FROM generate_series(1, :posts) AS n;
INSERT INTO "Note" (id, title, body, rank, "createdAt", "updatedAt")
SELECT n::text, 'Note ' || n, 'Body of note ' || n || ': ' || repeat('lorem ipsum dolor sit amet ', 4), n, now(), now()
FROM generate_series(1, :posts) AS n;
INSERT INTO graphgate_changes (model, changed_at, pk, version, deleted)
SELECT 'Post', "_lastChangedAt", id, 1, false FROM "Post";
WITH recent AS (SELECT ((k * 97) % :posts + 1)::text AS id, k FROM generate_series(1, 100) AS k)
UPDATE "Post" p SET "_version" = 2, "_lastChangedAt" = (floor(extract(epoch from now()) * 1000))::bigint - 600000 + r.k
FROM recent r WHERE p.id = r.id;
INSERT INTO graphgate_changes (model, changed_at, pk, version, deleted)
SELECT 'Post', "_lastChangedAt", id, 2, false FROM "Post" WHERE "_version" = 2;
VACUUM ANALYZE "Post";
VACUUM ANALYZE "Note";
VACUUM ANALYZE graphgate_changes;
CHECKPOINT;
