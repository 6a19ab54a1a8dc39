-- list-10-with-comments, hand-written (pgbench -M prepared): the first 10 posts with their comments
-- as ONE statement that builds the whole JSON answer (the `data.listPosts` value) with json_agg and a
-- correlated subquery per post, the plan PostGraphile and Hasura use. The comments come through
-- the foreign-key index ("postCommentsId", id), in id order.
SELECT json_build_object('items', COALESCE(json_agg(json_build_object(
         'id', p.id, 'title', p.title,
         'comments', json_build_object('items', (
            SELECT COALESCE(json_agg(json_build_object('id', c.id, 'body', c.body, 'author', c.author,
                                                       'createdAt', aws_datetime(c."createdAt"))
                                     ORDER BY c.id), '[]')
            FROM "Comment" c WHERE c."postCommentsId" = p.id))) ORDER BY p.id), '[]')) AS result
FROM (SELECT id, title FROM "Post" ORDER BY id LIMIT 10) p;
