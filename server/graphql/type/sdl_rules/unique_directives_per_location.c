/* unique_directives_per_location.c: graphql-js UniqueDirectivesPerLocationRule for SDL, a
 * non-repeatable directive stands once on a node. The directives of a type's definition and its
 * extensions count together, as do those of all schema definitions and extensions. */
#include "sdl_rules.h"

#include <string.h>

typedef struct state {
    gg_strmap type_directives;   /* type name -> gg_strmap* (directive name -> gg_directive*) */
    gg_strmap schema_directives; /* directive name -> gg_directive* */
} state;

static void begin(gg_sdl_context *c, void *raw)
{
    state *s = raw;
    gg_strmap_init(&s->type_directives, c->arena);
    gg_strmap_init(&s->schema_directives, c->arena);
}

/* The directives of one node, seen in `seen` (a fresh map when NULL). */
static void check(gg_sdl_context *c, const gg_directive *dirs, unsigned count, gg_strmap *seen)
{
    gg_strmap fresh;
    if (seen == NULL) {
        gg_strmap_init(&fresh, c->arena);
        seen = &fresh;
    }
    for (unsigned i = 0; i < count; i++) {
        const gg_definition *def = gg_strmap_gets(&c->directive_def, dirs[i].name.value);
        if (def == NULL || def->repeatable) continue;
        const gg_directive *previous = gg_strmap_gets(seen, dirs[i].name.value);
        if (previous) {
            gg_error *e = gg_sdl_report(
                c, previous->loc, "The directive \"@%s\" can only be used once at this location.", dirs[i].name.value);
            gg_error_add_location(c->errors, e, dirs[i].loc);
        } else {
            gg_strmap_put(seen, dirs[i].name.value, strlen(dirs[i].name.value), (void *)&dirs[i]);
        }
    }
}

static void enter_definition(gg_sdl_context *c, void *raw, const gg_definition *def)
{
    state *s = raw;
    if (def->kind == GG_DEF_SCHEMA)
        check(c, def->directives, def->directive_count, &s->schema_directives);
    else if (gg_sdl_is_type_definition(def))
        check(c, def->directives, def->directive_count, gg_sdl_submap(c, &s->type_directives, def->name.value));
}

static void enter_directives(gg_sdl_context *c, void *raw, const gg_directive *dirs, unsigned count, uint32_t location)
{
    check(c, dirs, count, NULL);
}

const gg_sdl_rule gg_sdl_rule_unique_directives_per_location = {
    .name = "UniqueDirectivesPerLocation",
    .state_size = sizeof(state),
    .begin = begin,
    .enter_definition = enter_definition,
    .enter_directives = enter_directives,
};
