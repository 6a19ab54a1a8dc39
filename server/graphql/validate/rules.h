/* rules.h: the spec's validation rules (spec §5), one gg_rule per file of this folder.
 *
 * Each rule is named after graphql-js's rule without "Rule", in snake case, and listed here in
 * graphql-js specifiedRules order, which is also the order of the table in validate.c (errors
 * come out in that order at each node). */
#ifndef GG_VALIDATE_RULES_H
#define GG_VALIDATE_RULES_H

#include "validate.h"

extern const gg_rule gg_rule_executable_definitions;
extern const gg_rule gg_rule_unique_operation_names;
extern const gg_rule gg_rule_lone_anonymous_operation;
extern const gg_rule gg_rule_single_field_subscriptions;
extern const gg_rule gg_rule_known_type_names;
extern const gg_rule gg_rule_fragments_on_composite_types;
extern const gg_rule gg_rule_variables_are_input_types;
extern const gg_rule gg_rule_scalar_leafs;
extern const gg_rule gg_rule_fields_on_correct_type;
extern const gg_rule gg_rule_unique_fragment_names;
extern const gg_rule gg_rule_known_fragment_names;
extern const gg_rule gg_rule_no_unused_fragments;
extern const gg_rule gg_rule_possible_fragment_spreads;
extern const gg_rule gg_rule_no_fragment_cycles;
extern const gg_rule gg_rule_unique_variable_names;
extern const gg_rule gg_rule_no_undefined_variables;
extern const gg_rule gg_rule_no_unused_variables;
extern const gg_rule gg_rule_known_directives;
extern const gg_rule gg_rule_unique_directives_per_location;
extern const gg_rule gg_rule_known_argument_names;
extern const gg_rule gg_rule_unique_argument_names;
extern const gg_rule gg_rule_values_of_correct_type;
extern const gg_rule gg_rule_provided_required_arguments;
extern const gg_rule gg_rule_variables_in_allowed_position;
extern const gg_rule gg_rule_overlapping_fields_can_be_merged;
extern const gg_rule gg_rule_unique_input_field_names;
extern const gg_rule gg_rule_max_introspection_depth;

#endif
