/* Tests gg_sql_compile (resolvers/postgres/sql_placeholders.c): :argName placeholders become $N, and
 * everything that is not code (strings, quoted identifiers, comments, dollar quotes, casts) is
 * left exactly as written; :identity.* placeholders are one name each; malformed statements are refused
 * with a message. gg_sql_compile_paths (pipeline steps) makes ":a.b.c" one name; @sql fields do not. */
#include "sql_placeholders.h"
#include "test.h"

static gg_arena arena;

/* The compiled SQL, then " | " and the parameter names, or "ERROR: <message>". */
static const char *compile_with(bool paths, const char *statement)
{
    gg_sql_compiled c;
    char err[256] = "";
    bool ok = paths ? gg_sql_compile_paths(&arena, statement, &c, GG_FAULT_INTO(err))
                    : gg_sql_compile(&arena, statement, &c, GG_FAULT_INTO(err));
    if (!ok) return gg_arena_printf(&arena, "ERROR: %s", err);
    const char *s = gg_arena_printf(&arena, "%s |", c.sql);
    for (unsigned i = 0; i < c.param_count; i++)
        s = gg_arena_printf(&arena, "%s %s", s, c.param_names[i]);
    return s;
}

static const char *compile(const char *statement)
{
    return compile_with(false, statement);
}

static void test_placeholders(void)
{
    CHECK_STR(compile("SELECT * FROM t WHERE id = :id"), "SELECT * FROM t WHERE id = $1 | id");
    CHECK_STR(compile("SELECT :a, :b, :a"), "SELECT $1, $2, $1 | a b");
    CHECK_STR(compile("SELECT :a+:b_2"), "SELECT $1+$2 | a b_2");
    CHECK_STR(compile("SELECT (:ids)::jsonb"), "SELECT ($1)::jsonb | ids");
    CHECK_STR(compile("SELECT :n::int"), "SELECT $1::int | n");
    CHECK_STR(compile("SELECT 1"), "SELECT 1 |");
    /* a ':' not followed by a name stays */
    CHECK_STR(compile("SELECT a[1:2] FROM t"), "SELECT a[1:2] FROM t |");
}

static void test_not_code_is_left_alone(void)
{
    CHECK_STR(compile("SELECT ':id', 'it''s :x', :y"), "SELECT ':id', 'it''s :x', $1 | y");
    CHECK_STR(compile("SELECT E'a\\':b', :c"), "SELECT E'a\\':b', $1 | c");
    CHECK_STR(compile("SELECT 'a\\', :c"), "SELECT 'a\\', $1 | c"); /* standard strings: '\' is a character */
    CHECK_STR(compile("SELECT \":odd\"\"name\" FROM t WHERE x = :x"),
              "SELECT \":odd\"\"name\" FROM t WHERE x = $1 | x");
    CHECK_STR(compile("SELECT 1 -- :not\n, :yes"), "SELECT 1 -- :not\n, $1 | yes");
    CHECK_STR(compile("SELECT /* :a /* :b */ :c */ :d"), "SELECT /* :a /* :b */ :c */ $1 | d");
    CHECK_STR(compile("SELECT $$ :a $$, $tag$ :b $x$ $tag$, :c"), "SELECT $$ :a $$, $tag$ :b $x$ $tag$, $1 | c");
    CHECK_STR(compile("SELECT x::text, y::timestamptz FROM t"), "SELECT x::text, y::timestamptz FROM t |");
    CHECK_STR(compile("SELECT a$b FROM t"), "SELECT a$b FROM t |");
}

/* :identity.x and :identity.claims.y (the claim name may be "quoted") are one parameter each. */
static void test_identity(void)
{
    CHECK_STR(compile("SELECT :identity.sub, :identity.groups::text[], :identity.sub"),
              "SELECT $1, $2::text[], $1 | identity.sub identity.groups");
    CHECK_STR(compile("SELECT :identity.claims.email, :identity.claims.\"custom:tenant\"::int"),
              "SELECT $1, $2::int | identity.claims.email identity.claims.custom:tenant");
    CHECK_STR(compile("SELECT :identity.claims.a.b"), "SELECT $1.b | identity.claims.a");
    CHECK_STR(compile("SELECT :identity, :identity.nope, :identity.claims"),
              "SELECT $1, $2, $3 | identity identity.nope identity.claims");
    CHECK_STR(compile("SELECT :identity.claims.\"\", :identity. x"),
              "SELECT $1.\"\", $2. x | identity.claims identity");
    CHECK_STR(compile("SELECT ':identity.sub' -- :identity.sub\n"), "SELECT ':identity.sub' -- :identity.sub\n |");
}

static void test_paths(void)
{
    CHECK_STR(compile_with(true, "INSERT INTO t VALUES (:stash.slug, :args.title, :prev.author.id, :prev, :x)"),
              "INSERT INTO t VALUES ($1, $2, $3, $4, $5) | stash.slug args.title prev.author.id prev x");
    CHECK_STR(compile_with(true, "SELECT :stash.a, :stash.a::int, :identity.claims.\"custom:t\", :source.b. c"),
              "SELECT $1, $1::int, $2, $3. c | stash.a identity.claims.custom:t source.b");
    CHECK_STR(compile_with(true, "SELECT ':stash.a'"), "SELECT ':stash.a' |");
    /* @sql fields keep their grammar: only :identity takes a path */
    CHECK_STR(compile("SELECT :stash.a"), "SELECT $1.a | stash");
}

static void test_one_statement(void)
{
    CHECK_STR(compile("SELECT :a;"), "SELECT $1 | a");
    CHECK_STR(compile("SELECT :a ; -- done\n /* bye */ "), "SELECT $1  | a");
    CHECK_STR(compile("SELECT 1; DROP TABLE t"), "ERROR: only one SQL statement is allowed");
    CHECK_STR(compile("SELECT ';'; "), "SELECT ';' |");
}

static void test_refused(void)
{
    CHECK_STR(compile("SELECT 'abc"), "ERROR: unterminated string literal");
    CHECK_STR(compile("SELECT \"abc"), "ERROR: unterminated quoted identifier");
    CHECK_STR(compile("SELECT /* /* */"), "ERROR: unterminated comment");
    CHECK_STR(compile("SELECT $q$ x"), "ERROR: unterminated dollar-quoted string");
    CHECK_STR(compile("SELECT $1"),
              "ERROR: positional parameters ($1) are not allowed; name the field's arguments as :argName");
    CHECK_STR(compile("   "), "ERROR: the statement is empty");
    CHECK_STR(compile(";"), "ERROR: the statement is empty");
    CHECK_STR(compile("-- only a comment\n /* and another */ ;"), "ERROR: the statement is empty");
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_placeholders);
    RUN(test_not_code_is_left_alone);
    RUN(test_identity);
    RUN(test_paths);
    RUN(test_one_statement);
    RUN(test_refused);
    gg_arena_free(&arena);
    return test_summary();
}
