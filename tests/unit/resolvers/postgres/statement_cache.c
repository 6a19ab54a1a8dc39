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

/* Every byte of a text counts in its name: one byte changed anywhere (inside an eight-byte step or
 * in the tail) and texts that differ only in length all get names of their own. */
static void test_every_byte_named(void)
{
    char text[] = "WITH n1(c0, c1) AS (UPDATE \"Post\" AS t1 SET \"title\" = $1::text WHERE t1.\"id\" = $2::text)";
    size_t len = strlen(text);
    gg_pg_statement_key original;
    gg_pg_statement_key_of(text, &original);
    CHECK_INT(strlen(original.name), GG_PG_STATEMENT_NAME_LEN);
    for (size_t i = 0; i < len; i++) {
        char kept = text[i];
        text[i] = (char)(kept ^ 1);
        gg_pg_statement_key changed;
        gg_pg_statement_key_of(text, &changed);
        text[i] = kept;
        CHECK(changed.hash != original.hash && strcmp(changed.name, original.name) != 0);
    }
    for (size_t cut = 0; cut < len; cut++) {
        char shorter[sizeof text];
        memcpy(shorter, text, cut);
        shorter[cut] = '\0';
        gg_pg_statement_key key;
        gg_pg_statement_key_of(shorter, &key);
        CHECK(key.hash != original.hash);
    }
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
    RUN(test_every_byte_named);
    RUN(test_least_recently_used);
    RUN(test_created_by);
    return test_summary();
}
