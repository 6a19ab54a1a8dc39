/* validate.c: the entry points of validation and the rule table (graphql-js validate() with
 * specifiedRules).
 *
 * A validation sets up its state (validate_internal.h: limits and caches) and its context, then
 * walks the document once with the rules (walker.c). The ValidationContext helpers the rules use
 * are in context.c, variable usages in variable_usages.c. */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "validate_internal.h"

/* The rule table, in graphql-js specifiedRules order. */
static const gg_rule *const specified_rules[] = {
    &gg_rule_executable_definitions,
    &gg_rule_unique_operation_names,
    &gg_rule_lone_anonymous_operation,
    &gg_rule_single_field_subscriptions,
    &gg_rule_known_type_names,
    &gg_rule_fragments_on_composite_types,
    &gg_rule_variables_are_input_types,
    &gg_rule_scalar_leafs,
    &gg_rule_fields_on_correct_type,
    &gg_rule_unique_fragment_names,
    &gg_rule_known_fragment_names,
    &gg_rule_no_unused_fragments,
    &gg_rule_possible_fragment_spreads,
    &gg_rule_no_fragment_cycles,
    &gg_rule_unique_variable_names,
    &gg_rule_no_undefined_variables,
    &gg_rule_no_unused_variables,
    &gg_rule_known_directives,
    &gg_rule_unique_directives_per_location,
    &gg_rule_known_argument_names,
    &gg_rule_unique_argument_names,
    &gg_rule_values_of_correct_type,
    &gg_rule_provided_required_arguments,
    &gg_rule_variables_in_allowed_position,
    &gg_rule_overlapping_fields_can_be_merged,
    &gg_rule_unique_input_field_names,
    &gg_rule_max_introspection_depth, /* graphql-js recommendedRules, part of its specifiedRules */
};

bool gg_validate_rules(const gg_schema *schema, const gg_document *doc, gg_arena *arena, gg_error_list *errors,
                       const gg_validate_options *opts, const gg_rule *const *rules, unsigned rule_count)
{
    validation v = {
        .max_errors = opts && opts->max_errors ? opts->max_errors : 100,
        .fragment_work = FRAGMENT_WORK_BUDGET,
    };
    gg_strmap_init(&v.spreads_cache, arena);
    gg_strmap_init(&v.fragments_cache, arena);
    gg_strmap_init(&v.usages_cache, arena);
    gg_strmap_init(&v.recursive_cache, arena);
    gg_strmap_init(&v.variables_cache, arena);

    gg_vctx ctx = {
        .schema = schema,
        .document = doc,
        .arena = arena,
        .errors = errors,
        .no_suggestions = opts && opts->no_suggestions,
        .internal = &v,
    };
    gg_strmap_init(&ctx.fragments, arena);
    unsigned fragment_count = 0;
    for (unsigned i = 0; i < doc->definition_count; i++) {
        const gg_definition *def = &doc->definitions[i];
        if (def->kind == GG_DEF_FRAGMENT && def->name.value) { /* the last of a name wins, as graphql-js */
            gg_strmap_put(&ctx.fragments, def->name.value, strlen(def->name.value), (void *)def);
            fragment_count++;
        }
    }
    if (fragment_count <= NAME_SCAN) { /* few: gg_vctx_fragment scans them, cheaper than hashing */
        v.fragments = gg_arena_alloc_uninit(arena, (fragment_count ? fragment_count : 1) * sizeof *v.fragments);
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind == GG_DEF_FRAGMENT && def->name.value) v.fragments[v.fragment_count++] = def;
        }
    }

    gg_validate_walk(&ctx, rules, rule_count);
    return v.error_count == 0 && !v.aborted;
}

bool gg_validate(const gg_schema *schema, const gg_document *doc, gg_arena *arena, gg_error_list *errors,
                 const gg_validate_options *opts)
{
    return gg_validate_rules(schema, doc, arena, errors, opts, specified_rules,
                             sizeof specified_rules / sizeof specified_rules[0]);
}
