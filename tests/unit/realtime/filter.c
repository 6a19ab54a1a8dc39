/* Tests server/realtime/filter.c against events as JSON: classic argument equality (typed; an
 * explicit null matches null or absent; absent arguments are no filter), every operator of the
 * Amplify v2 subscription filter input, with and/or nesting, and the owner argument's identity
 * forms, and fields named caseless (citext columns) compared without case. */
#include "realtime/filter.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "execute/values.h"
#include "test.h"

static gg_arena arena;

static const gg_val *json(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    CHECK(j != NULL);
    const gg_val *v = gg_val_from_cjson(&arena, j);
    cJSON_Delete(j);
    return v;
}

static const char *EVENT = "{\"id\":\"n1\",\"title\":\"prefix-note\",\"rank\":7,\"score\":2.5,\"done\":false,"
                           "\"tags\":[\"a\",\"b\"],\"body\":null}";

static bool filter(const char *f)
{
    return gg_rt_filter_match(json(f), json(EVENT), NULL);
}

static void test_classic_arguments(void)
{
    const gg_val *event = json(EVENT);
    CHECK(gg_rt_args_match(json("{}"), NULL, event, NULL));
    CHECK(gg_rt_args_match(NULL, NULL, event, NULL));
    CHECK(gg_rt_args_match(json("{\"id\":\"n1\",\"rank\":7}"), NULL, event, NULL));
    CHECK(gg_rt_args_match(json("{\"rank\":7.0}"), NULL, event, NULL));    /* numbers by value */
    CHECK(!gg_rt_args_match(json("{\"rank\":\"7\"}"), NULL, event, NULL)); /* typed: not a string */
    CHECK(!gg_rt_args_match(json("{\"id\":\"n2\"}"), NULL, event, NULL));
    CHECK(gg_rt_args_match(json("{\"body\":null}"), NULL, event, NULL));    /* explicit null: null */
    CHECK(gg_rt_args_match(json("{\"missing\":null}"), NULL, event, NULL)); /* ... or absent */
    CHECK(!gg_rt_args_match(json("{\"title\":null}"), NULL, event, NULL));
    CHECK(gg_rt_args_match(json("{\"filter\":{\"x\":1},\"id\":\"n1\"}"), "filter", event, NULL));
    gg_val *with_enum = gg_val_object(&arena, 1);
    gg_val_object_set(&arena, with_enum, "title", gg_val_enum(&arena, "prefix-note"));
    CHECK(gg_rt_args_match(with_enum, NULL, event, NULL)); /* enum arguments compare with strings by name */
}

static void test_operators(void)
{
    CHECK(filter("null"));
    CHECK(filter("{}"));
    CHECK(filter("{\"rank\":{\"eq\":7}}"));
    CHECK(!filter("{\"rank\":{\"eq\":8}}"));
    CHECK(filter("{\"rank\":{\"ne\":8}}"));
    CHECK(filter("{\"rank\":{\"gt\":6,\"lt\":8}}"));
    CHECK(filter("{\"rank\":{\"ge\":7,\"le\":7}}"));
    CHECK(!filter("{\"rank\":{\"gt\":7}}"));
    CHECK(filter("{\"score\":{\"between\":[2,3]}}"));
    CHECK(!filter("{\"score\":{\"between\":[3,4]}}"));
    CHECK(filter("{\"title\":{\"beginsWith\":\"prefix\"}}"));
    CHECK(!filter("{\"title\":{\"beginsWith\":\"note\"}}"));
    CHECK(filter("{\"title\":{\"contains\":\"x-n\"}}"));
    CHECK(filter("{\"title\":{\"notContains\":\"zzz\"}}"));
    CHECK(filter("{\"tags\":{\"contains\":\"b\"}}"));
    CHECK(!filter("{\"tags\":{\"contains\":\"c\"}}"));
    CHECK(filter("{\"id\":{\"in\":[\"n0\",\"n1\"]}}"));
    CHECK(!filter("{\"id\":{\"notIn\":[\"n0\",\"n1\"]}}"));
    CHECK(filter("{\"done\":{\"eq\":false}}"));
    CHECK(!filter("{\"done\":{\"ne\":false}}"));
    CHECK(!filter("{\"title\":{\"gt\":5}}")); /* different kinds do not compare */
    CHECK(!filter("{\"missing\":{\"eq\":1}}"));
    CHECK(!filter("{\"rank\":{\"nope\":1}}")); /* unknown operators match nothing */
}

static void test_and_or(void)
{
    CHECK(filter("{\"or\":[{\"rank\":{\"eq\":1}},{\"title\":{\"beginsWith\":\"pre\"}}]}"));
    CHECK(!filter("{\"or\":[{\"rank\":{\"eq\":1}},{\"title\":{\"beginsWith\":\"x\"}}]}"));
    CHECK(filter("{\"and\":[{\"rank\":{\"eq\":7}},{\"id\":{\"eq\":\"n1\"}}]}"));
    CHECK(!filter("{\"and\":[{\"rank\":{\"eq\":7}},{\"id\":{\"eq\":\"n2\"}}]}"));
    /* entries of one object are ANDed with its or */
    CHECK(!filter("{\"rank\":{\"ne\":7},\"or\":[{\"id\":{\"eq\":\"n1\"}}]}"));
    CHECK(filter("{\"or\":[{\"and\":[{\"rank\":{\"lt\":0}}]},{\"and\":[{\"tags\":{\"contains\":\"a\"}}]}]}"));
}

/* Fields the database compares without case (citext, citext[]): every operator ignores ASCII
 * case on them, as the list query's SQL does; the other fields keep theirs. */
static void test_caseless_fields(void)
{
    const char *const caseless[] = {"title", "tags", NULL};
    const gg_val *event = json("{\"title\":\"Prefix-Note\",\"tags\":[\"Ann\",\"b\"],\"id\":\"N1\"}");
#define CASELESS(f) gg_rt_filter_match(json(f), event, caseless)
    CHECK(CASELESS("{\"title\":{\"eq\":\"prefix-NOTE\"}}"));
    CHECK(!CASELESS("{\"title\":{\"ne\":\"prefix-note\"}}"));
    CHECK(CASELESS("{\"title\":{\"beginsWith\":\"PREFIX\"}}"));
    CHECK(CASELESS("{\"title\":{\"contains\":\"x-n\"}}"));
    CHECK(!CASELESS("{\"title\":{\"notContains\":\"X-N\"}}"));
    CHECK(CASELESS("{\"title\":{\"in\":[\"a\",\"PREFIX-NOTE\"]}}"));
    CHECK(CASELESS("{\"title\":{\"ge\":\"prefix-note\",\"le\":\"PREFIX-NOTE\"}}"));
    CHECK(CASELESS("{\"title\":{\"gt\":\"PREFIX\",\"lt\":\"q\"}}"));
    CHECK(CASELESS("{\"tags\":{\"contains\":\"ann\"}}"));
    CHECK(!CASELESS("{\"tags\":{\"notContains\":\"B\"}}"));
    CHECK(!CASELESS("{\"id\":{\"eq\":\"n1\"}}")); /* not named: case counts */
    CHECK(!gg_rt_filter_match(json("{\"title\":{\"eq\":\"prefix-note\"}}"), event, NULL));
    CHECK(gg_rt_args_match(json("{\"title\":\"PREFIX-note\"}"), NULL, event, caseless));
    CHECK(!gg_rt_args_match(json("{\"id\":\"n1\"}"), NULL, event, caseless));
#undef CASELESS
}

/* The owner argument DataStore sends (a username or a sub) against every stored identity form. */
static void test_owner_argument(void)
{
    const gg_val *both = json("\"s-1::alice\"");
    CHECK(gg_rt_owner_match(json("\"alice\""), both));
    CHECK(gg_rt_owner_match(json("\"s-1\""), both));
    CHECK(gg_rt_owner_match(json("\"s-1::alice\""), both));
    CHECK(!gg_rt_owner_match(json("\"bob\""), both));
    CHECK(!gg_rt_owner_match(json("\"alic\""), both)); /* whole halves only */
    CHECK(!gg_rt_owner_match(json("\"s-1::\""), both));
    CHECK(!gg_rt_owner_match(json("\"\""), json("\"::\"")));
    CHECK(gg_rt_owner_match(json("\"s-1::alice\""), json("\"alice\""))); /* an older row */
    CHECK(gg_rt_owner_match(json("\"s-1::alice\""), json("\"s-1\"")));
    CHECK(!gg_rt_owner_match(json("\"s-2::bob\""), json("\"alice\"")));
    CHECK(gg_rt_owner_match(json("\"alice\""), json("[\"bob\",\"s-1::alice\"]"))); /* multi-owner */
    CHECK(!gg_rt_owner_match(json("\"carol\""), json("[\"bob\",\"s-1::alice\"]")));
    CHECK(!gg_rt_owner_match(json("\"alice\""), NULL)); /* the event lacks the field */
    CHECK(!gg_rt_owner_match(json("\"alice\""), json("null")));
    CHECK(gg_rt_owner_match(json("null"), NULL));
    CHECK(!gg_rt_owner_match(json("null"), both));
    CHECK(!gg_rt_owner_match(json("7"), json("7")));
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_classic_arguments);
    RUN(test_operators);
    RUN(test_and_or);
    RUN(test_caseless_fields);
    RUN(test_owner_argument);
    gg_arena_free(&arena);
    return test_summary();
}
