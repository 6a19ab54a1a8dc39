/* Tests resolvers/postgres/statement_cache.c: names from the text's hash, least-recently-used
 * eviction, and that only the PREPARE that created an entry can find or forget it. */
#include "statement_cache.h"
#include "test.h"

static void test_names(void)
{
    gg_pg_statement_key a, b, again;
    gg_pg_statement_key_of("SELECT 1", &a);
    gg_pg_statement_key_of("SELECT 2", &b);
    gg_pg_statement_key_of("SELECT 1", &again);
    CHECK_INT(strlen(a.name), GG_PG_STATEMENT_NAME_LEN);
    CHECK(strncmp(a.name, "gg_", 3) == 0);
    CHECK_STR(a.name, again.name);
    CHECK(a.hash == again.hash && a.name_hash == again.name_hash);
    CHECK(strcmp(a.name, b.name) != 0);
}

static void test_least_recently_used(void)
{
    gg_pg_statement_cache cache;
    gg_pg_statement_cache_init(&cache);
    const char *texts[3] = {"SELECT 1", "SELECT 2", "SELECT 3"};
    gg_pg_statement_key keys[3];
    for (unsigned i = 0; i < 3; i++) {
        gg_pg_statement_key_of(texts[i], &keys[i]);
        CHECK(gg_pg_statement_cache_use(&cache, &keys[i]) == NULL);
        gg_pg_prepared *e = gg_pg_statement_cache_add(&cache, &keys[i], texts[i], i + 1);
        CHECK(e != NULL && strcmp(e->sql, texts[i]) == 0 && !e->interrupted);
    }
    CHECK_INT(gg_pg_statement_cache_count(&cache), 3);
    /* using the oldest makes "SELECT 2" the least recently used */
    gg_pg_prepared *first = gg_pg_statement_cache_use(&cache, &keys[0]);
    CHECK(first != NULL && first->prepare_seq == 1);
    char name[GG_PG_STATEMENT_NAME_LEN + 1];
    CHECK(gg_pg_statement_cache_evict_oldest(&cache, name));
    CHECK_STR(name, keys[1].name);
    CHECK(gg_pg_statement_cache_use(&cache, &keys[1]) == NULL);
    CHECK(gg_pg_statement_cache_evict_oldest(&cache, name));
    CHECK_STR(name, keys[2].name);
    CHECK(gg_pg_statement_cache_evict_oldest(&cache, name));
    CHECK_STR(name, keys[0].name);
    CHECK(!gg_pg_statement_cache_evict_oldest(&cache, name));
    gg_pg_statement_cache_clear(&cache);
}

static void test_created_by(void)
{
    gg_pg_statement_cache cache;
    gg_pg_statement_cache_init(&cache);
    gg_pg_statement_key key;
    gg_pg_statement_key_of("SELECT $1", &key);
    CHECK(gg_pg_statement_cache_add(&cache, &key, "SELECT $1", 7) != NULL);
    /* an older PREPARE of the same text neither finds nor removes the newer entry */
    CHECK(gg_pg_statement_cache_created_by(&cache, key.hash, 6) == NULL);
    gg_pg_statement_cache_forget(&cache, key.hash, 6);
    CHECK_INT(gg_pg_statement_cache_count(&cache), 1);
    gg_pg_prepared *e = gg_pg_statement_cache_created_by(&cache, key.hash, 7);
    CHECK(e != NULL && e->prepare_seq == 7);
    gg_pg_statement_cache_forget(&cache, key.hash, 7);
    CHECK_INT(gg_pg_statement_cache_count(&cache), 0);
    /* a cleared cache can be used again (a reconnected session) */
    CHECK(gg_pg_statement_cache_add(&cache, &key, "SELECT $1", 8) != NULL);
    gg_pg_statement_cache_clear(&cache);
    CHECK_INT(gg_pg_statement_cache_count(&cache), 0);
    CHECK(gg_pg_statement_cache_add(&cache, &key, "SELECT $1", 9) != NULL);
    gg_pg_statement_cache_clear(&cache);
}

int main(void)
{
    RUN(test_names);
    RUN(test_least_recently_used);
    RUN(test_created_by);
    return test_summary();
}
