/* suggest.h: "Did you mean ...?" suggestions worded as graphql-js (jsutils/suggestionList.ts,
 * didYouMean.ts, naturalCompare.ts), the one implementation used by document validation
 * (validate/), schema building (type/) and input coercion (execute/).
 *
 * gg_suggestion_list keeps the options within a lexical distance of the input (Damerau-
 * Levenshtein where a change of case alone counts as one edit; threshold 40% of the input's
 * length plus one) and sorts them by distance, then in natural order. gg_did_you_mean formats at
 * most five of them; gg_suggest_did_you_mean does both steps. Validation wraps them in
 * gg_vctx_did_you_mean (validate.h), which honours its no_suggestions option. */
#ifndef GG_SUGGEST_H
#define GG_SUGGEST_H

#include "../base/arena.h"

/* Options close to input, best first, in a new arena array (*out_count may be 0). */
void gg_suggestion_list(gg_arena *arena, const char *input, const char *const *options, unsigned option_count,
                        const char ***out, unsigned *out_count);
/* graphql-js naturalCompare: digits runs compare as numbers; <0, 0 or >0. */
int gg_natural_compare(const char *a, const char *b);
/* graphql-js didYouMean: " Did you mean <sub_message> "a", "b", or "c"?" or "" when count is 0;
 * sub_message may be NULL. */
const char *gg_did_you_mean(gg_arena *arena, const char *sub_message, const char *const *suggestions, unsigned count);
/* graphql-js didYouMean(sub_message, suggestionList(input, options)): the options close to input,
 * worded as above ("" when none is close). */
const char *gg_suggest_did_you_mean(gg_arena *arena, const char *sub_message, const char *input,
                                    const char *const *options, unsigned option_count);

#endif
