/* Tests server/init/singular.c: the type names `graphgate init --from-database` gives tables, from
 * their PascalCase names. The plurals English makes irregularly come back as their singular, the
 * words that are singular already or uncountable stay, and a word no rule is sure of stays as it
 * is rather than becoming a wrong singular (Series never becomes Sery). */
#include "base/arena.h"
#include "init.h"
#include "test.h"

static gg_arena arena;

static const char *singular(const char *name)
{
    return gg_init_singular(&arena, name);
}

static void test_regular(void)
{
    CHECK_STR(singular("Orders"), "Order");
    CHECK_STR(singular("OrderLines"), "OrderLine");
    CHECK_STR(singular("Categories"), "Category");
    CHECK_STR(singular("ProductCategories"), "ProductCategory");
    CHECK_STR(singular("Addresses"), "Address");
    CHECK_STR(singular("Boxes"), "Box");
    CHECK_STR(singular("Indexes"), "Index");
    CHECK_STR(singular("Matches"), "Match");
    CHECK_STR(singular("Wishes"), "Wish");
    CHECK_STR(singular("Buzzes"), "Buzz");
    CHECK_STR(singular("Cases"), "Case");
    CHECK_STR(singular("Databases"), "Database");
    CHECK_STR(singular("Responses"), "Response");
    CHECK_STR(singular("Values"), "Value");
    CHECK_STR(singular("Archives"), "Archive");
    CHECK_STR(singular("Prices"), "Price");
    CHECK_STR(singular("Days"), "Day");
    CHECK_STR(singular("Photos"), "Photo");
    CHECK_STR(singular("Shoes"), "Shoe");
    CHECK_STR(singular("Schemas"), "Schema");
    CHECK_STR(singular("Bureaus"), "Bureau");
    CHECK_STR(singular("Ids"), "Id");
    CHECK_STR(singular("UserIDs"), "UserID");
    CHECK_STR(singular("APIs"), "API");
}

static void test_irregular(void)
{
    CHECK_STR(singular("Statuses"), "Status");
    CHECK_STR(singular("OrderStatuses"), "OrderStatus");
    CHECK_STR(singular("Buses"), "Bus");
    CHECK_STR(singular("Houses"), "House");
    CHECK_STR(singular("Causes"), "Cause");
    CHECK_STR(singular("Excuses"), "Excuse");
    CHECK_STR(singular("People"), "Person");
    CHECK_STR(singular("SalesPeople"), "SalesPerson");
    CHECK_STR(singular("Salespeople"), "Salesperson");
    CHECK_STR(singular("Children"), "Child");
    CHECK_STR(singular("Grandchildren"), "Grandchild");
    CHECK_STR(singular("Men"), "Man");
    CHECK_STR(singular("Women"), "Woman");
    CHECK_STR(singular("Firemen"), "Fireman");
    CHECK_STR(singular("Analyses"), "Analysis");
    CHECK_STR(singular("DataAnalyses"), "DataAnalysis");
    CHECK_STR(singular("Hypotheses"), "Hypothesis");
    CHECK_STR(singular("Diagnoses"), "Diagnosis");
    CHECK_STR(singular("Indices"), "Index");
    CHECK_STR(singular("Vertices"), "Vertex");
    CHECK_STR(singular("Matrices"), "Matrix");
    CHECK_STR(singular("Movies"), "Movie");
    CHECK_STR(singular("Cookies"), "Cookie");
    CHECK_STR(singular("Quizzes"), "Quiz");
    CHECK_STR(singular("Leaves"), "Leaf");
    CHECK_STR(singular("Knives"), "Knife");
    CHECK_STR(singular("Heroes"), "Hero");
    CHECK_STR(singular("Caches"), "Cache");
    CHECK_STR(singular("Criteria"), "Criterion");
    CHECK_STR(singular("Mice"), "Mouse");
    CHECK_STR(singular("Cacti"), "Cactus");
    CHECK_STR(singular("Lenses"), "Lens");
    CHECK_STR(singular("Menus"), "Menu");
}

static void test_kept(void)
{
    /* singular already, or uncountable */
    static const char *const same[] = {
        "Series",  "TvSeries", "Species", "News",     "Data",    "Media",    "Information", "Equipment", "Staff",
        "Status",  "Address",  "Class",   "Business", "Bus",     "Campus",   "Analysis",    "Basis",     "Person",
        "Child",   "Category", "Movie",   "Quiz",     "Canvas",  "Alias",    "Gas",         "Analytics", "Physics",
        "Kudos",   "Chaos",    "Axes",    "Specimen", "Abdomen", "Metadata", "Feedback",    "Software",  "Sms",
        "Gps",     "Dns",      "Lens",    "Means",    "Tennis",  "Chassis",  "X",           "Ab",        "Item2",
        "ItemV2s", "Things_",  "Toys2",   NULL,
    };
    for (unsigned i = 0; same[i]; i++)
        CHECK_STR(singular(same[i]), same[i]);
    /* -ies after a vowel: no rule is sure */
    CHECK_STR(singular("Zooies"), "Zooies");
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_regular);
    RUN(test_irregular);
    RUN(test_kept);
    gg_arena_free(&arena);
    return test_summary();
}
