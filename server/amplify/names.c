/* names.c: the names the @model transform derives from type and field names: the plural of a
 * model name (the rules of the `pluralize` package the transformer uses) and first-letter case
 * changes (Todos -> todosByName, name -> Name).
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

char *gg_amplify_lower_first(gg_arena *a, const char *s)
{
    char *r = gg_arena_strdup(a, s);
    r[0] = (char)tolower((unsigned char)r[0]);
    return r;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* True when the lowercase word ends with one of the stems (a '|' separated list) followed by
 * one of the endings; sets *stem_end to where the ending starts. */
static bool ends_with_stem(const char *lower, const char *stems, const char *endings, size_t *stem_end)
{
    size_t n = strlen(lower);
    for (const char *e = endings; *e;) {
        size_t ending_length = strcspn(e, "|");
        for (const char *stem = stems; *stem;) {
            size_t stem_length = strcspn(stem, "|");
            if (n >= stem_length + ending_length && strncmp(lower + n - ending_length, e, ending_length) == 0 &&
                strncmp(lower + n - ending_length - stem_length, stem, stem_length) == 0) {
                *stem_end = n - ending_length;
                return true;
            }
            stem += stem_length + (stem[stem_length] == '|');
        }
        e += ending_length + (e[ending_length] == '|');
    }
    return false;
}

/* The transformer pluralises with the `pluralize` package; these are its rules for the word
 * endings model names have (irregular words, uncountable words, Latin and Greek endings, -y,
 * -f/-fe, -o, sibilants). The catalog stores the result: never re-derive it elsewhere. */
char *gg_amplify_pluralize(gg_arena *a, const char *word)
{
    static const char *const irregular[][2] = {
        {"person", "people"}, {"child", "children"}, {"tooth", "teeth"},        {"foot", "feet"},
        {"leaf", "leaves"},   {"loaf", "loaves"},    {"thief", "thieves"},      {"money", "monies"},
        {"goose", "geese"},   {"ox", "oxen"},        {"die", "dice"},           {"quiz", "quizzes"},
        {"mouse", "mice"},    {"louse", "lice"},     {"criterion", "criteria"}, {"phenomenon", "phenomena"},
    };
    static const char *const uncountable[] = {"data",  "information", "equipment", "news",    "series",   "species",
                                              "sheep", "fish",        "deer",      "moose",   "rice",     "metadata",
                                              "media", "stats",       "feedback",  "traffic", "software", "staff"};
    size_t n = strlen(word);
    char *lower = gg_arena_strdup(a, word);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
        /* a rule applies to the whole word or to its last camel-case part (ProductCategory) */
#define WORD_START(k) ((k) == n || (k) == 0 || isupper((unsigned char)word[n - (k)]))
    for (size_t i = 0; i < sizeof uncountable / sizeof uncountable[0]; i++) {
        size_t k = strlen(uncountable[i]);
        if (ends_with(lower, uncountable[i]) && WORD_START(k)) return gg_arena_strdup(a, word);
    }
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++) {
        size_t k = strlen(irregular[i][0]);
        if (ends_with(lower, irregular[i][0]) && WORD_START(k)) {
            char *r = gg_arena_printf(a, "%.*s%s", (int)(n - k), word, irregular[i][1]);
            r[n - k] = word[n - k]; /* keep the case of the first letter */
            return r;
        }
    }
#undef WORD_START
    if (ends_with(lower, "man") && !ends_with(lower, "human")) return gg_arena_printf(a, "%.*sen", (int)(n - 2), word);
    size_t at;
    if (ends_with_stem(lower, "matr|cod|mur|sil|vert|ind|append", "ix|ex", &at))
        return gg_arena_printf(a, "%.*sices", (int)at, word);
    if (ends_with_stem(lower, "alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat", "us",
                       &at))
        return gg_arena_printf(a, "%.*si", (int)at, word);
    if (ends_with_stem(lower, "analy|ba|diagno|parenthe|progno|synop|the|empha|cri|ne", "sis", &at))
        return gg_arena_printf(a, "%.*sses", (int)at, word);
    if (ends_with_stem(
            lower, "agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|quor",
            "um", &at))
        return gg_arena_printf(a, "%.*sa", (int)at, word);
    if (ends_with_stem(lower, "buffal|potat|tomat|volcan|ech|her|vet", "o", &at))
        return gg_arena_printf(a, "%.*soes", (int)at, word);
    char last = n ? lower[n - 1] : 0, prev = n > 1 ? lower[n - 2] : 0;
    if (last == 'y' && n > 1 && (strchr("aeiou", prev) == NULL || (n > 2 && prev == 'u' && lower[n - 3] == 'q')))
        return gg_arena_printf(a, "%.*sies", (int)(n - 1), word);
    if (n > 2 && ((last == 'f' && (prev == 'l' || prev == 'r')) || (last == 'e' && prev == 'f' && lower[n - 3] != 'f')))
        return gg_arena_printf(a, "%.*sves", (int)(n - (last == 'e' ? 2 : 1)), word);
    if (ends_with(lower, "x") || ends_with(lower, "ch") || ends_with(lower, "ss") || ends_with(lower, "sh") ||
        ends_with(lower, "zz") || ends_with_stem(lower, "alia|tla|tma|ga|ri", "s", &at) ||
        (ends_with(lower, "us") && n > 2 && strchr("aou", lower[n - 3]) == NULL))
        return gg_arena_printf(a, "%ses", word);
    if (last == 's') return gg_arena_strdup(a, word);
    return gg_arena_printf(a, "%ss", word);
}
