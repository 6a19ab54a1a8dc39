/* singular.c: the singular of a table's name, for the type names `graphgate init --from-database`
 * writes (order_lines -> OrderLine, people -> Person, series -> Series); see init.h.
 *
 * Only the last word of the PascalCase name changes (OrderLines: Lines; APIs: the acronym's s),
 * looked at in lower case, in this order:
 *  1. words that end in s and are singular already or uncountable (News, Series, Species, Means,
 *     Canvas, Alias, Physics ...): kept;
 *  2. irregular plurals, as whole words (Indices -> Index, Analyses -> Analysis, Movies -> Movie,
 *     Quizzes -> Quiz, Leaves -> Leaf, Criteria -> Criterion, Mice -> Mouse ...), and the common
 *     ones that end compounds too (People, Children, Women, Men: Salespeople -> Salesperson,
 *     Firemen -> Fireman);
 *  3. endings: -ies after a consonant -> -y (Categories), -sses -xes -zzes -shes -ches drop -es
 *     (Addresses, Boxes, Matches; Caches keeps its e), -uses -> -us (Statuses, Buses; Houses,
 *     Causes and the -use words keep their e), -yses -> -ysis, -theses -> -thesis, any other -s
 *     is dropped (Orders, Cases, Values, Moves).
 * When no rule is sure the word stays as it is: a word that does not end in s (Data, Staff,
 * Equipment), or ends in -ss, -us or -is (Class, Campus, Basis), or in -ies after a vowel, or
 * whose stem would have no vowel (SMS, GPS). A wrong singular is worse than a plural: it names
 * the type and every query and input of it (getSery, CreateSeryInput) and looks like a bug, where
 * a plural type name is merely unusual and the user may rename it in schema.graphql.
 * The transformer then makes its own plural of the type for the list query and the relations
 * (amplify/names.c): for these words it gives back the table's name (listCategories,
 * listPeople, listSeries). */
#include "init.h"

#include <ctype.h>
#include <string.h>

/* Step 1: whole words ending in s that are kept. */
static const char *const kept[] = {
    "news",      "series",      "species",  "means",     "headquarters", "clothes",     "corps",
    "kudos",     "chaos",       "ethos",    "pathos",    "cosmos",       "thermos",     "asbestos",
    "mythos",    "ios",         "macos",    "aws",       "canvas",       "alias",       "bias",
    "gas",       "atlas",       "pancreas", "christmas", "texas",        "analytics",   "athletics",
    "economics", "electronics", "ethics",   "genetics",  "logistics",    "linguistics", "mathematics",
    "physics",   "politics",    "diabetes", "measles",   "mumps",        "rabies",      "herpes",
    "axes",      "semen",       "yemen",    "lens",      "yes",          "this",        NULL,
};

/* Step 2: whole words, plural -> singular. */
static const char *const irregular[][2] = {
    /* no s at all */
    {"mice", "mouse"},
    {"geese", "goose"},
    {"feet", "foot"},
    {"teeth", "tooth"},
    {"oxen", "ox"},
    {"dice", "die"},
    {"criteria", "criterion"},
    {"phenomena", "phenomenon"},
    {"bacteria", "bacterium"},
    {"curricula", "curriculum"},
    {"memoranda", "memorandum"},
    {"millennia", "millennium"},
    {"alumni", "alumnus"},
    {"cacti", "cactus"},
    {"fungi", "fungus"},
    {"nuclei", "nucleus"},
    {"radii", "radius"},
    {"stimuli", "stimulus"},
    {"syllabi", "syllabus"},
    {"foci", "focus"},
    /* -ices of -ix and -ex */
    {"indices", "index"},
    {"vertices", "vertex"},
    {"matrices", "matrix"},
    {"appendices", "appendix"},
    {"vortices", "vortex"},
    {"apices", "apex"},
    {"codices", "codex"},
    /* -zzes of a single z */
    {"quizzes", "quiz"},
    {"whizzes", "whiz"},
    {"fezzes", "fez"},
    /* -ses of -sis */
    {"crises", "crisis"},
    {"diagnoses", "diagnosis"},
    {"prognoses", "prognosis"},
    {"neuroses", "neurosis"},
    {"psychoses", "psychosis"},
    {"synopses", "synopsis"},
    {"emphases", "emphasis"},
    {"oases", "oasis"},
    {"nemeses", "nemesis"},
    {"geneses", "genesis"},
    {"metamorphoses", "metamorphosis"},
    /* -ses of -s */
    {"lenses", "lens"},
    {"gases", "gas"},
    {"canvases", "canvas"},
    {"atlases", "atlas"},
    {"irises", "iris"},
    /* -ves of -f and -fe */
    {"leaves", "leaf"},
    {"lives", "life"},
    {"knives", "knife"},
    {"wives", "wife"},
    {"wolves", "wolf"},
    {"halves", "half"},
    {"shelves", "shelf"},
    {"thieves", "thief"},
    {"calves", "calf"},
    {"loaves", "loaf"},
    {"selves", "self"},
    {"elves", "elf"},
    {"scarves", "scarf"},
    {"hooves", "hoof"},
    {"wharves", "wharf"},
    /* -oes of -o */
    {"heroes", "hero"},
    {"potatoes", "potato"},
    {"tomatoes", "tomato"},
    {"echoes", "echo"},
    {"vetoes", "veto"},
    {"torpedoes", "torpedo"},
    {"volcanoes", "volcano"},
    {"tornadoes", "tornado"},
    {"dominoes", "domino"},
    {"mosquitoes", "mosquito"},
    {"embargoes", "embargo"},
    {"cargoes", "cargo"},
    {"mangoes", "mango"},
    {"buffaloes", "buffalo"},
    /* -ies of -ie */
    {"movies", "movie"},
    {"cookies", "cookie"},
    {"pies", "pie"},
    {"ties", "tie"},
    {"lies", "lie"},
    {"dies", "die"},
    {"zombies", "zombie"},
    {"calories", "calorie"},
    {"rookies", "rookie"},
    {"hippies", "hippie"},
    {"selfies", "selfie"},
    {"genies", "genie"},
    {"prairies", "prairie"},
    {"brownies", "brownie"},
    {"smoothies", "smoothie"},
    {"goalies", "goalie"},
    {"hoodies", "hoodie"},
    {"newbies", "newbie"},
    {"freebies", "freebie"},
    {"bookies", "bookie"},
    {"veggies", "veggie"},
    {"birdies", "birdie"},
    {"beanies", "beanie"},
    {"magpies", "magpie"},
    {"neckties", "necktie"},
    {"bowties", "bowtie"},
    {"pixies", "pixie"},
    {"aunties", "auntie"},
    {"sorties", "sortie"},
    {"junkies", "junkie"},
    {"techies", "techie"},
    {"foodies", "foodie"},
    {"groupies", "groupie"},
    {"roadies", "roadie"},
    {"lingeries", "lingerie"},
    {"coteries", "coterie"},
    {"reveries", "reverie"},
    {"menageries", "menagerie"},
    /* -ches of -che */
    {"caches", "cache"},
    {"niches", "niche"},
    {"aches", "ache"},
    {"headaches", "headache"},
    {"cliches", "cliche"},
    {"quiches", "quiche"},
    {"avalanches", "avalanche"},
    {"moustaches", "moustache"},
    {"mustaches", "mustache"},
    {"psyches", "psyche"},
    {"creches", "creche"},
    {"brioches", "brioche"},
    /* -uses of -use */
    {"uses", "use"},
    {"abuses", "abuse"},
    {"misuses", "misuse"},
    {"reuses", "reuse"},
    {"excuses", "excuse"},
    {"fuses", "fuse"},
    {"muses", "muse"},
    {"ruses", "ruse"},
    {"recluses", "recluse"},
    /* -is and -us of -i and -u */
    {"apis", "api"},
    {"uris", "uri"},
    {"kpis", "kpi"},
    {"emojis", "emoji"},
    {"wikis", "wiki"},
    {"taxis", "taxi"},
    {"skis", "ski"},
    {"kiwis", "kiwi"},
    {"safaris", "safari"},
    {"bikinis", "bikini"},
    {"martinis", "martini"},
    {"menus", "menu"},
    {"skus", "sku"},
    {"cpus", "cpu"},
    {"gpus", "gpu"},
    {"gurus", "guru"},
    {"haikus", "haiku"},
    {"emus", "emu"},
};

/* Step 2: the endings of compounds (and those whole words). */
static const char *const irregular_endings[][2] = {
    {"people", "person"},
    {"children", "child"},
    {"women", "woman"},
    {"men", "man"},
};

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* The singular of the lower-case word w (n bytes): its first `keep` bytes then `append`; false
 * when it stays as it is. */
static bool singular_word(const char *w, size_t n, size_t *keep, const char **append)
{
    *append = "";
    for (size_t i = 0; kept[i]; i++)
        if (strcmp(w, kept[i]) == 0) return false;
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
        if (strcmp(w, irregular[i][0]) == 0) {
            *keep = 0;
            *append = irregular[i][1];
            return true;
        }
    for (size_t i = 0; i < sizeof irregular_endings / sizeof irregular_endings[0]; i++) {
        const char *plural = irregular_endings[i][0];
        size_t m = strlen(plural);
        if (!ends_with(w, n, plural)) continue;
        /* men after a, i, o or u is no plural (specimen, abdomen, stamen, acumen, omen) */
        if (strcmp(plural, "men") == 0 && n > m && strchr("aiou", w[n - m - 1]) != NULL) return false;
        *keep = n - m;
        *append = irregular_endings[i][1];
        return true;
    }
    if (n < 3 || w[n - 1] != 's' || ends_with(w, n, "ss") || ends_with(w, n, "is")) return false;
    if (ends_with(w, n, "us")) { /* status, campus; a bureau's plural, bureaus, is the exception */
        *keep = n - 1;
        return ends_with(w, n, "eaus");
    }
    if (ends_with(w, n, "ies")) { /* categories; after a vowel (-oies, -eies) no rule is sure */
        if (n < 5 || is_vowel(w[n - 4])) return false;
        *keep = n - 3;
        *append = "y";
        return true;
    }
    if (ends_with(w, n, "sses") || ends_with(w, n, "xes") || ends_with(w, n, "zzes") || ends_with(w, n, "shes") ||
        ends_with(w, n, "ches")) {
        *keep = n - 2;
        return true;
    }
    if (ends_with(w, n, "uses")) { /* statuses, buses; houses, causes */
        *keep = n > 4 && is_vowel(w[n - 5]) ? n - 1 : n - 2;
        return true;
    }
    if (ends_with(w, n, "yses")) { /* analyses, paralyses */
        *keep = n - 2;
        *append = "is";
        return true;
    }
    if (ends_with(w, n, "theses")) { /* hypotheses, parentheses */
        *keep = n - 2;
        *append = "is";
        return true;
    }
    *keep = n - 1;
    for (size_t i = 0; i < *keep; i++)
        if (is_vowel(w[i])) return true;
    return false; /* sms, gps: no word without its s */
}

const char *gg_init_singular(gg_arena *arena, const char *name)
{
    size_t n = strlen(name);
    /* an acronym's plural: APIs, URLs, UserIDs */
    if (n >= 3 && name[n - 1] == 's' && isupper((unsigned char)name[n - 2]) && isupper((unsigned char)name[n - 3]))
        return gg_arena_strndup(arena, name, n - 1);
    size_t start = n;
    while (start > 0 && islower((unsigned char)name[start - 1]))
        start--;
    if (start > 0 && isupper((unsigned char)name[start - 1])) start--;
    if (start == n) return name; /* ends in a digit, an underscore or a capital */
    char word[64];
    size_t len = n - start;
    if (len >= sizeof word) return name;
    for (size_t i = 0; i < len; i++)
        word[i] = (char)tolower((unsigned char)name[start + i]);
    word[len] = '\0';
    size_t keep = 0;
    const char *append = "";
    if (!singular_word(word, len, &keep, &append) || keep + strlen(append) == 0) return name;
    /* the word's own letters where they stay (so its capital), else the replacement's, with the
     * word's capital */
    char *r = gg_arena_printf(arena, "%.*s%.*s%s", (int)start, name, (int)keep, name + start, append);
    if (keep == 0 && isupper((unsigned char)name[start])) r[start] = (char)toupper((unsigned char)r[start]);
    return r;
}
