/* names.c: the names the @model transform derives from type and field names: the plural of a
 * model name (the rules of the `pluralize` package the transformer uses) and first-letter case
 * changes (Todos -> todosByName, name -> Name), and the name a model's generated operations and
 * types are built on (todo -> Todo).
 *
 * The plural is computed once per model (read_directives.c) and stored in the catalog
 * (gg_amplify_model.plural): never re-derive it elsewhere. Results live in the arena passed in. */
#include "transform_internal.h"

#include <ctype.h>
#include <string.h>

char *gg_amplify_upper_first(gg_arena *a, const char *s)
{
    char *r = gg_arena_strdup(a, s);
    r[0] = (char)toupper((unsigned char)r[0]);
    return r;
}

char *gg_amplify_model_type_name(gg_arena *a, const char *model_name)
{
    return gg_amplify_upper_first(a, model_name);
}

char *gg_amplify_lower_first(gg_arena *a, const char *s)
{
    char *r = gg_arena_strdup(a, s);
    r[0] = (char)tolower((unsigned char)r[0]);
    return r;
}

/* The plural, as the `pluralize` package (8.0.0) makes it: the transformer calls it on the model
 * name. It is a port of that package, in its order: a whole word among the irregular plurals is
 * kept, a whole irregular singular is replaced (person -> people), a whole uncountable word is
 * kept, and otherwise the first rule whose pattern ends the word rewrites that ending. The case of
 * the rewritten part follows the case of what it replaces (pluralize's restoreCase), which is why
 * an upper-case name gets an upper-case ending (URL -> URLS, MegaChildA -> MegaChildAS). */

/* Whole words (lower case). */
static const char *const plural_irregular[][2] = {
    {"i", "we"},
    {"me", "us"},
    {"he", "they"},
    {"she", "they"},
    {"them", "them"},
    {"myself", "ourselves"},
    {"yourself", "yourselves"},
    {"itself", "themselves"},
    {"herself", "themselves"},
    {"himself", "themselves"},
    {"themself", "themselves"},
    {"is", "are"},
    {"was", "were"},
    {"has", "have"},
    {"this", "these"},
    {"that", "those"},
    {"echo", "echoes"},
    {"dingo", "dingoes"},
    {"volcano", "volcanoes"},
    {"tornado", "tornadoes"},
    {"torpedo", "torpedoes"},
    {"genus", "genera"},
    {"viscus", "viscera"},
    {"stigma", "stigmata"},
    {"stoma", "stomata"},
    {"dogma", "dogmata"},
    {"lemma", "lemmata"},
    {"schema", "schemata"},
    {"anathema", "anathemata"},
    {"ox", "oxen"},
    {"axe", "axes"},
    {"die", "dice"},
    {"yes", "yeses"},
    {"foot", "feet"},
    {"eave", "eaves"},
    {"goose", "geese"},
    {"tooth", "teeth"},
    {"quiz", "quizzes"},
    {"human", "humans"},
    {"proof", "proofs"},
    {"carve", "carves"},
    {"valve", "valves"},
    {"looey", "looies"},
    {"thief", "thieves"},
    {"groove", "grooves"},
    {"pickaxe", "pickaxes"},
    {"passerby", "passersby"},
};
static const char *const plural_uncountable[] = {
    "adulthood",  "advice",         "agenda",      "aid",       "aircraft",    "alcohol",      "ammo",
    "analytics",  "anime",          "athletics",   "audio",     "bison",       "blood",        "bream",
    "buffalo",    "butter",         "carp",        "cash",      "chassis",     "chess",        "clothing",
    "cod",        "commerce",       "cooperation", "corps",     "debris",      "diabetes",     "digestion",
    "elk",        "energy",         "equipment",   "excretion", "expertise",   "firmware",     "flounder",
    "fun",        "gallows",        "garbage",     "graffiti",  "hardware",    "headquarters", "health",
    "herpes",     "highjinks",      "homework",    "housework", "information", "jeans",        "justice",
    "kudos",      "labour",         "literature",  "machinery", "mackerel",    "mail",         "media",
    "mews",       "moose",          "music",       "mud",       "manga",       "news",         "only",
    "personnel",  "pike",           "plankton",    "pliers",    "police",      "pollution",    "premises",
    "rain",       "research",       "rice",        "salmon",    "scissors",    "series",       "sewage",
    "shambles",   "shrimp",         "software",    "species",   "staff",       "swine",        "tennis",
    "traffic",    "transportation", "trout",       "tuna",      "wealth",      "welfare",      "whiting",
    "wildebeest", "wildlife",       "you",
};

/* An ending rule: the word ends with one of `stems` followed by one of `endings` ('|' separated;
 * an item is letters and [abc] or [^abc] classes; an empty item matches nothing), and that part
 * becomes the stem as written plus `append`. `whole` rules match the whole word only. Listed in
 * the order they are tried: pluralize's uncountable patterns first (they keep the word), then its
 * plural rules from the last added to the first. */
typedef struct {
    const char *stems, *endings, *append;
    bool whole;
} plural_rule;

static const plural_rule plural_rules[] = {
    {"sheep|pox|o[iu]s|measles|fish|deer|[^aeiou]ese|pok[e]mon", "", "", false},
    {"", "thou", "you", true},
    {"", "m[ae]n", "men", false},
    {"eaux", "", "", false},
    {"child", "ren|", "ren", false},
    {"pe", "rson|ople", "ople", false},
    {"titm|m|l", "ice|ouse", "ice", true},
    {"matr|cod|mur|sil|vert|ind|append", "ix|ex", "ices", false},
    {"x|ch|ss|sh|zz", "", "es", false},
    {"[^ch][ieo][ln]", "ey", "ies", false},
    {"[^aeiouy]|qu", "y", "ies", false},
    {"kni|wi|li", "fe", "ves", false},
    {"ar|l|ea|eo|oa|hoo", "f", "ves", false},
    {"", "sis", "ses", false},
    {"apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat", "a|on", "a", false},
    {"agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor",
     "a|um", "a", false},
    {"her|at|gr", "o", "oes", false},
    {"seraph|cherub", "im|", "im", false},
    {"alumn|alg|vertebr", "a|ae", "ae", false},
    {"alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat", "us|i", "i", false},
    {"[^l]ias|[aeiou]las|[ejzr]as|[iu]am", "", "", false},
    {"e[mn]u", "s|", "s", false},
    {"alias|[^aou]us|t[lm]as|gas|ris", "", "es", false},
    {"ax|test", "is", "es", false},
    {"[^aeiou]ese", "", "", false},
};

/* Where the pattern item [p, p + len) matches the lower-case word if it ends at `end`; -1 if it
 * does not. An empty item matches the empty string. */
static long plural_match_item(const char *lower, size_t end, const char *p, size_t len)
{
    const char *tokens[32];
    size_t count = 0;
    for (size_t i = 0; i < len && count < 32; count++) {
        tokens[count] = p + i;
        if (p[i] == '[') {
            while (i < len && p[i] != ']')
                i++;
        }
        i++;
    }
    if (count > end) return -1;
    for (size_t k = 0; k < count; k++) {
        const char *t = tokens[count - 1 - k];
        char c = lower[end - 1 - k];
        if (*t == '[') {
            bool negated = t[1] == '^';
            bool in = false;
            for (const char *q = t + 1 + negated; *q != ']'; q++)
                in |= *q == c;
            if (in == negated) return -1;
        } else if (*t != c) {
            return -1;
        }
    }
    return (long)(end - count);
}

/* pluralize's restoreCase: `result` in the case of `matched` (both `n`/`m` bytes long). */
static char *plural_restore_case(gg_arena *a, const char *matched, size_t n, const char *result)
{
    char *r = gg_arena_strdup(a, result);
    if (strlen(result) == n && strncmp(matched, result, n) == 0) return r;
    bool has_lower = false, has_upper = false;
    for (size_t i = 0; i < n; i++) {
        has_lower |= islower((unsigned char)matched[i]) != 0;
        has_upper |= isupper((unsigned char)matched[i]) != 0;
    }
    bool title = n > 0 && !islower((unsigned char)matched[0]);
    for (char *c = r; *c; c++) {
        bool up = has_upper && (!has_lower || (title && c == r));
        *c = (char)(up ? toupper((unsigned char)*c) : tolower((unsigned char)*c));
    }
    return r;
}

char *gg_amplify_pluralize(gg_arena *a, const char *word)
{
    size_t n = strlen(word);
    char *lower = gg_arena_strdup(a, word);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < sizeof plural_irregular / sizeof plural_irregular[0]; i++)
        if (strcmp(lower, plural_irregular[i][1]) == 0) return plural_restore_case(a, word, n, lower);
    for (size_t i = 0; i < sizeof plural_irregular / sizeof plural_irregular[0]; i++)
        if (strcmp(lower, plural_irregular[i][0]) == 0) return plural_restore_case(a, word, n, plural_irregular[i][1]);
    for (size_t i = 0; i < sizeof plural_uncountable / sizeof plural_uncountable[0]; i++)
        if (strcmp(lower, plural_uncountable[i]) == 0) return gg_arena_strdup(a, word);
    for (size_t r = 0; r < sizeof plural_rules / sizeof plural_rules[0]; r++) {
        const plural_rule *rule = &plural_rules[r];
        long best = -1;
        size_t best_stem_end = 0;
        /* the longest ending of the word the pattern matches (a regular expression's leftmost match) */
        for (const char *e = rule->endings;;) {
            size_t elen = strcspn(e, "|");
            long ending_start = plural_match_item(lower, n, e, elen);
            for (const char *s = rule->stems; ending_start >= 0;) {
                size_t slen = strcspn(s, "|");
                long start = slen || !*rule->stems ? plural_match_item(lower, (size_t)ending_start, s, slen) : -1;
                if (start >= 0 && (best < 0 || start < best) && (!rule->whole || start == 0)) {
                    best = start;
                    best_stem_end = (size_t)ending_start;
                }
                if (!s[slen]) break;
                s += slen + 1;
            }
            if (!e[elen]) break;
            e += elen + 1;
        }
        if (best < 0) continue;
        char *result = gg_arena_printf(a, "%.*s%s", (int)(best_stem_end - (size_t)best), word + best, rule->append);
        return gg_arena_printf(a, "%.*s%s", (int)best, word,
                               plural_restore_case(a, word + best, n - (size_t)best, result));
    }
    /* the first rule, s?$ -> s: an ending s stays, otherwise an s in the case of the last letter */
    if (n && lower[n - 1] == 's')
        return gg_arena_printf(a, "%.*s%s", (int)(n - 1), word, plural_restore_case(a, word + n - 1, 1, "s"));
    return gg_arena_printf(a, "%s%s", word, n && isupper((unsigned char)word[n - 1]) ? "S" : "s");
}
