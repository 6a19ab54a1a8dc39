/* Tests gg_gateway_run_sync (server/gateway/gateway.c) on a schema the test builds and wraps: a
 * request runs as the server runs it, with the server's default limits (a limit error, then the
 * same query passing once the limit is off), the one subscription refusal, bad variables JSON,
 * and validation without "Did you mean" unless limits.field_suggestions is on. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "gateway/gateway.h"
#include "graphql/execute/values.h"
#include "graphql/type/schema_build.h"
#include "test.h"

static gg_schema *build(const char *sdl)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"test.graphql", sdl, strlen(sdl)};
    gg_schema_options opts = {.appsync = false, .amplify = false};
    gg_schema *schema = gg_schema_build(&src, 1, &opts, &errors);
    CHECK(schema != NULL && errors.count == 0);
    gg_arena_free(&arena);
    return schema;
}

/* Runs query through a gateway made with the default configuration changed by adjust (NULL:
 * none); returns the response (static buffer) and sets *ok. */
static const char *run(const gg_schema *schema, const gg_val *root, void (*adjust)(gg_config *), const char *query,
                       const char *variables, bool *ok)
{
    static char text[4096];
    gg_config cfg;
    gg_config_defaults(&cfg);
    if (adjust != NULL) adjust(&cfg);
    gg_gateway *gateway = gg_gateway_wrap(schema, root, &cfg);
    gg_config_free(&cfg);
    gg_buf out;
    gg_buf_init(&out);
    *ok = gg_gateway_run_sync(gateway, query, strlen(query), NULL, variables, &out);
    snprintf(text, sizeof text, "%.*s", (int)out.len, out.data ? out.data : "");
    gg_buf_free(&out);
    gg_gateway_free(gateway);
    return text;
}

static void no_depth_limit(gg_config *cfg)
{
    cfg->max_depth = 0;
}

static void suggestions_on(gg_config *cfg)
{
    cfg->field_suggestions = true;
}

int main(void)
{
    gg_schema *schema = build("type Query { a: Int n: N } type N { n: N v: Int } type Subscription { ev: Int }");
    gg_arena arena;
    gg_arena_init(&arena);
    cJSON *json = cJSON_Parse("{\"a\":1,\"ev\":2}");
    const gg_val *root = gg_val_from_cjson(&arena, json);
    cJSON_Delete(json);
    bool ok;

    CHECK_STR(run(schema, root, NULL, "{ a }", NULL, &ok), "{\"data\":{\"a\":1}}");
    CHECK(ok);
    CHECK_STR(run(schema, root, NULL, "query($x: Boolean!) { a @include(if: true) n @skip(if: $x) { v } }",
                  "{\"x\":true}", &ok),
              "{\"data\":{\"a\":1}}");
    CHECK(ok);

    /* the server's default limits.max_depth (12): 13 levels are refused before validation */
    const char *deep = "{ n { n { n { n { n { n { n { n { n { n { n { n { v } } } } } } } } } } } } }";
    CHECK_STR(run(schema, root, NULL, deep, NULL, &ok),
              "{\"errors\":[{\"message\":\"Query depth limit of 12 exceeded, found 13. (server setting "
              "limits.max_depth)\",\"locations\":[{\"line\":1,\"column\":1}],\"errorType\":\"ValidationError\"}]}");
    CHECK(!ok);
    CHECK_STR(run(schema, root, no_depth_limit, deep, NULL, &ok), "{\"data\":{\"n\":null}}");
    CHECK(ok);

    /* the one refusal of a subscription outside a realtime connection (the HTTP handler sends it too) */
    CHECK_STR(run(schema, root, NULL, "subscription { ev }", NULL, &ok),
              "{\"errors\":[{\"message\":\"Subscriptions are not supported over HTTP: open a WebSocket to "
              "/graphql/realtime (AppSync real-time protocol, subprotocol graphql-ws) or to /graphql (subprotocol "
              "graphql-transport-ws).\",\"errorType\":\"BadRequestException\"}]}");
    CHECK(!ok);

    CHECK_STR(run(schema, root, NULL, "{ a }", "[1]", &ok),
              "{\"errors\":[{\"message\":\"Variables are invalid JSON.\"}]}");
    CHECK(!ok);

    /* suggestions follow limits.field_suggestions (off by default) */
    const char *typo = run(schema, root, NULL, "{ b }", NULL, &ok);
    CHECK(!ok && strstr(typo, "Cannot query field \\\"b\\\" on type \\\"Query\\\".") != NULL &&
          strstr(typo, "Did you mean") == NULL);
    CHECK(strstr(run(schema, root, suggestions_on, "{ aa }", NULL, &ok), "Did you mean \\\"a\\\"?") != NULL);

    gg_arena_free(&arena);
    gg_schema_free(schema);
    return test_summary();
}
