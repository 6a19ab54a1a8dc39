/* filter.h: does a mutation event reach a subscription? (appsync-compat.md §3.3, §5.3, §5.4)
 *
 * Two kinds of filter are evaluated against the event's value (the mutation's result, an object
 * whose members are named like the type's fields):
 * - classic arguments: each argument the subscriber gave (explicit null included; absent ones are
 *   no filter) must equal the event's top-level field of the same name (typed JSON equality: 1 and
 *   "1" differ, 1 and 1.0 are equal; null matches null or absent);
 * - the Amplify v2 `filter:` argument (ModelSubscription<T>FilterInput): one entry per field with
 *   the operators eq ne le lt ge gt contains notContains between beginsWith in notIn, and `and` /
 *   `or` lists. Entries of one object are ANDed.
 * Values are the coerced argument values (enum values compare by name with the event's strings).
 * caseless names the fields (a NULL-terminated list; NULL: none) whose strings compare without
 * (ASCII) case, as PostgreSQL compares a citext column or the items of a citext[] one.
 * Pure functions over gg_val: no allocation, no state. */
#ifndef GG_REALTIME_FILTER_H
#define GG_REALTIME_FILTER_H

#include <stdbool.h>

#include "../graphql/value.h"

/* True when every member of args except the one named skip (NULL: none) equals the event's member
 * of the same name. args NULL or empty: true. */
bool gg_rt_args_match(const gg_val *args, const char *skip, const gg_val *event, const char *const *caseless);
/* True when event passes the v2 filter input (NULL or null: every event). */
bool gg_rt_filter_match(const gg_val *filter, const gg_val *event, const char *const *caseless);
/* The `owner` argument of an owner rule's field (§3.4, §4.7): true when stored (the event's owner
 * field: a string, or a list of them for a multi-owner field) holds a value naming the same
 * identity as wanted: equal, or one of the two is "<sub>::<username>" and the other its sub or its
 * username. wanted null matches null or absent, as a classic argument; another kind never. */
bool gg_rt_owner_match(const gg_val *wanted, const gg_val *stored);

#endif
