/* suggest.h: "Did you mean ...?" suggestions worded as graphql-js (jsutils/suggestionList.ts,
 * didYouMean.ts, naturalCompare.ts).
 *
 * gg_suggestion_list keeps the options within a lexical distance of the input (Damerau-
 * Levenshtein where a change of case alone counts as one edit; threshold 40% of the input's
 * length plus one) and sorts them by distance, then in natural order. gg_vctx_did_you_mean
 * formats at most five of them, and returns "" when validation runs with no_suggestions. */
#ifndef GG_VALIDATE_SUGGEST_H
#define GG_VALIDATE_SUGGEST_H

#include "validate.h"

/* Options close to input, best first, in a new arena array (*out_count may be 0). */
void gg_suggestion_list(gg_arena *arena, const char *input, const char *const *options, unsigned option_count,
                        const char ***out, unsigned *out_count);
/* graphql-js naturalCompare: digits runs compare as numbers; <0, 0 or >0. */
int gg_natural_compare(const char *a, const char *b);
/* graphql-js didYouMean: " Did you mean <sub_message> "a", "b", or "c"?" or "" when count is 0;
 * sub_message may be NULL. */
const char *gg_did_you_mean(gg_arena *arena, const char *sub_message, const char *const *suggestions, unsigned count);
/* The same, returning "" when the validation hides suggestions (options.no_suggestions). */
const char *gg_vctx_did_you_mean(gg_vctx *ctx, const char *sub_message, const char *const *suggestions,
                                 unsigned count);

#endif
