/* generate_sdl.c: the Amplify schema of `graphgate init --from-database`, from one schema's
 * catalog (introspect.h); see init.h.
 *
 * Every table or view becomes a @model type named after it (PascalCase, singular by singular.c:
 * order_lines -> OrderLine, people -> Person) with @refersTo(name:) on the type and on each field
 * whose GraphQL name differs from the column (snake_case -> camelCase), so nothing in the
 * database is renamed. Decisions:
 * - Key: the primary key (@primaryKey, the other columns as sortKeyFields); without one, the
 *   first unique index over NOT NULL columns; without that the table is skipped. A view has no
 *   key: its "id" column, else its first column, keys its list's order and nextToken, and it is
 *   served read-only with @model(queries: {get: null}, mutations: null, subscriptions: null).
 * - Types come from gg_pg_type_scalar (column_types.c, the start-up check), PostgreSQL enums become
 *   GraphQL enums (as String when a label is not a GraphQL name), arrays become lists, and
 *   columns no scalar holds (bytea, ranges ...) are left out.
 * - A NOT NULL column is non-null unless it has a default (or is identity/generated): a create may
 *   leave those out and the database fills them in; keys stay non-null. A column the database
 *   alone writes (GENERATED ALWAYS AS (...), GENERATED ALWAYS AS IDENTITY) gets @readOnly
 *   (graphgate's own directive): it is read like any other but in no create or update input, where
 *   any value would be refused; an update still names its row by it when it is the key. GENERATED
 *   BY DEFAULT AS IDENTITY and serial are defaults: a create may leave them out or give a value.
 *   A one-column key of an integer type with a default (serial, identity) is id: ID!, as
 *   Amplify's id (with @refersTo when the column has another name and no column is called id): a
 *   create may leave it out and the database numbers the row.
 * - created_at/updated_at style columns of a date-time type (createdAt/updatedAt once mapped)
 *   become the model's timestamps (set by graphgate on writes); otherwise timestamps: null.
 * - @index for each plain btree index other than the key (first column the partition key, the
 *   others sortKeyFields), named and given a query field by the transformer's defaults.
 * - A foreign key onto a model's whole key: @belongsTo(references:) on the referencing model
 *   and @hasMany(references:) on the referenced one, named after the referencing table (or the
 *   transformer's plural of its type, for a table named in the singular); @hasOne(references:),
 *   named after the referencing type, when the foreign key's columns are unique there (its
 *   primary key, or a unique index: one child per parent).
 * - Every model gets @auth(rules: [{allow: public}]): the API key of the generated configuration.
 *   So what any key holder must not read stays out: columns whose name says they hold a secret
 *   (password, token, secret, API or private key, salt) are left out unless they are the key, and
 *   the bookkeeping tables of migration tools and sessions (schema_migrations, _prisma_migrations,
 *   django_session ...) are skipped unless --tables names them. Each is a note: the schema is the
 *   user's to edit.
 * Names that are not GraphQL names (spaces, leading digits, non-ASCII letters) are mapped to ones
 * that are, and so are names the transform takes (a Query table, an "and" column), and each
 * mapping, collision and omission is a line of notes. */
#include "init.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "amplify/transform.h"

typedef struct model_plan {
    const gg_pg_db_table *table;
    const char *type_name;    /* NULL: skipped */
    const char **field_names; /* per column; NULL: left out */
    const char **field_types; /* per column: the GraphQL type as written ("[String]!") */
    unsigned *key;            /* column indexes of the key */
    unsigned key_count;
    const char *created_at, *updated_at; /* field names of the timestamps, or NULL */
    GG_VEC(const char *) extra;          /* relation field lines */
    GG_VEC(const char *) used;           /* field names taken */
} model_plan;

typedef struct generator {
    gg_arena *arena;
    const gg_pg_db_schema *db;
    gg_buf *notes;
    model_plan *plans;
    const char **enum_names; /* parallel to db->enums; NULL: served as String */
    GG_VEC(const char *) type_names;
} generator;

static bool is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_graphql_name(const char *s)
{
    if (!is_name_start(s[0]) || (s[0] == '_' && s[1] == '_')) return false;
    for (const char *p = s; *p; p++)
        if (!is_name_char(*p)) return false;
    return true;
}

/* raw in camelCase (upper_first: PascalCase): words split at anything not a letter or digit,
 * each word's first letter raised, the rest kept (a name without lowercase letters is read in
 * lowercase first: ORDER_ID -> orderId); a leading digit gets a "_" before it. */
static const char *convert_name(gg_arena *arena, const char *raw, bool upper_first)
{
    gg_buf b;
    gg_buf_init(&b);
    bool word_start = upper_first, shouting = true;
    for (const char *p = raw; *p && shouting; p++)
        shouting = !(*p >= 'a' && *p <= 'z');
    for (const char *p = raw; *p; p++) {
        char c = shouting ? (char)tolower((unsigned char)*p) : *p;
        if (!(isascii((unsigned char)c) && isalnum((unsigned char)c))) {
            word_start = b.len > 0 || upper_first;
            continue;
        }
        if (b.len == 0 && isdigit((unsigned char)c)) gg_buf_putc(&b, '_');
        if (word_start) {
            c = (char)toupper((unsigned char)c);
        } else if (b.len == 0) {
            c = (char)tolower((unsigned char)c);
        }
        gg_buf_putc(&b, c);
        word_start = false;
    }
    const char *r = gg_arena_strdup(arena, b.len ? b.data : upper_first ? "Unnamed" : "unnamed");
    gg_buf_free(&b);
    return r;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool taken(const char *const *names, unsigned count, const char *name)
{
    for (unsigned i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0) return true;
    return false;
}

/* name, or name2, name3 ... : the first not among names. */
static const char *unique_name(gg_arena *arena, const char *const *names, unsigned count, const char *name)
{
    if (!taken(names, count, name)) return name;
    for (unsigned k = 2;; k++) {
        const char *candidate = gg_arena_printf(arena, "%s%u", name, k);
        if (!taken(names, count, candidate)) return candidate;
    }
}

/* Names the schema's own types take, and prefixes of the generated ones. */
static bool reserved_type_name(const char *name)
{
    static const char *const reserved[] = {"Query", "Mutation", "Subscription", "String",  "Int",
                                           "Float", "Boolean",  "ID",           "AMPLIFY", NULL};
    for (unsigned i = 0; reserved[i]; i++)
        if (strcmp(name, reserved[i]) == 0) return true;
    return strncmp(name, "AWS", 3) == 0 || strncmp(name, "Model", 5) == 0 || ends_with(name, "Connection") ||
           ends_with(name, "Input");
}

static const char *type_name_for(generator *g, const char *raw, const char *what, bool make_singular)
{
    const char *name = convert_name(g->arena, raw, true);
    if (make_singular) name = gg_init_singular(g->arena, name);
    if (reserved_type_name(name)) {
        const char *renamed = gg_arena_printf(g->arena, "%sRecord", name);
        gg_buf_printf(g->notes, "%s \"%s\": %s is a name GraphQL or the transform uses, served as %s\n", what, raw,
                      name, renamed);
        name = renamed;
    }
    const char *unique = unique_name(g->arena, g->type_names.items, g->type_names.count, name);
    if (unique != name)
        gg_buf_printf(g->notes, "%s \"%s\": %s is taken, served as %s\n", what, raw, name, unique);
    else if (!is_graphql_name(raw))
        gg_buf_printf(g->notes, "%s \"%s\" is not a GraphQL name: served as %s\n", what, raw, unique);
    GG_VEC_PUSH(g->arena, g->type_names, unique);
    return unique;
}

static void name_enums(generator *g)
{
    g->enum_names = gg_arena_array(g->arena, g->db->enum_count ? g->db->enum_count : 1, sizeof *g->enum_names);
    for (unsigned i = 0; i < g->db->enum_count; i++) {
        const gg_pg_db_enum *e = &g->db->enums[i];
        bool usable = e->label_count > 0;
        for (unsigned k = 0; k < e->label_count && usable; k++) {
            const char *l = e->labels[k];
            usable = is_graphql_name(l) && strcmp(l, "true") != 0 && strcmp(l, "false") != 0 && strcmp(l, "null") != 0;
            if (!usable)
                gg_buf_printf(g->notes,
                              "enum \"%s\": its label \"%s\" is not a GraphQL enum value: its columns are served "
                              "as String\n",
                              e->name, l);
        }
        if (usable) g->enum_names[i] = type_name_for(g, e->name, "enum", false);
    }
}

/* The GraphQL type of one value (item) of column c, or NULL when none holds it. */
static const char *value_type(const generator *g, const gg_pg_db_column *c)
{
    if (c->enum_type != NULL) {
        const char *name = g->enum_names[c->enum_type - g->db->enums];
        return name ? name : "String";
    }
    return c->scalar;
}

/* Whether a column's name says it holds a secret: one of its words (split at '_', '-' and a
 * lower-case letter followed by a capital) is password, passwd, secret, token or salt, or two are
 * api key or private key: encrypted_password, reset_password_token, apiKey, otp_secret; not
 * tokens_used or secretary. */
static bool secret_name(const char *name)
{
    static const char *const words[] = {"password", "passwd", "secret", "token", "salt", "apikey", NULL};
    char word[64], previous[64] = "";
    size_t n = 0;
    for (const char *c = name;; c++) {
        bool boundary = *c == '\0' || *c == '_' || *c == '-' || *c == ' ' ||
                        (n > 0 && isupper((unsigned char)*c) && islower((unsigned char)c[-1]));
        if (boundary && n > 0) {
            word[n] = '\0';
            for (unsigned i = 0; words[i]; i++)
                if (strcmp(word, words[i]) == 0) return true;
            if (strcmp(word, "key") == 0 && (strcmp(previous, "api") == 0 || strcmp(previous, "private") == 0))
                return true;
            memcpy(previous, word, n + 1);
            n = 0;
        }
        if (*c == '\0') return false;
        if (*c != '_' && *c != '-' && *c != ' ' && n + 1 < sizeof word) word[n++] = (char)tolower((unsigned char)*c);
    }
}

/* Whether a table is a migration tool's or a session store's bookkeeping (compared in lower case). */
static bool bookkeeping_table(const char *name)
{
    static const char *const tables[] = {"schema_migrations",    "ar_internal_metadata",  "_prisma_migrations",
                                         "django_migrations",    "django_session",        "knex_migrations",
                                         "knex_migrations_lock", "flyway_schema_history", "goose_db_version",
                                         "alembic_version",      "__efmigrationshistory", "sequelizemeta",
                                         "typeorm_metadata",     "schema_version",        NULL};
    for (unsigned i = 0; tables[i]; i++)
        if (strcasecmp(name, tables[i]) == 0) return true;
    return false;
}

static bool in_key(const model_plan *p, unsigned column)
{
    for (unsigned i = 0; i < p->key_count; i++)
        if (p->key[i] == column) return true;
    return false;
}

/* Whether every column of index can be a key field (a non-list scalar or enum, not AWSJSON). */
static bool keyable(const generator *g, const gg_pg_db_table *t, const unsigned *columns, unsigned count,
                    bool need_not_null)
{
    for (unsigned i = 0; i < count; i++) {
        const gg_pg_db_column *c = &t->columns[columns[i]];
        const char *type = value_type(g, c);
        if (type == NULL || c->is_array || strcmp(type, "AWSJSON") == 0) return false;
        if (need_not_null && !c->not_null) return false;
    }
    return true;
}

static void choose_key(generator *g, model_plan *p)
{
    const gg_pg_db_table *t = p->table;
    if (t->is_view) {
        unsigned k = 0;
        for (unsigned i = 0; i < t->column_count; i++)
            if (strcmp(t->columns[i].name, "id") == 0) k = i;
        if (t->column_count == 0 || !keyable(g, t, &k, 1, false)) {
            gg_buf_printf(g->notes, "view \"%s\": skipped (its key column \"%s\" is not a scalar)\n", t->name,
                          t->column_count ? t->columns[k].name : "");
            return;
        }
        p->key = gg_arena_array(g->arena, 1, sizeof *p->key);
        p->key[0] = k;
        p->key_count = 1;
        gg_buf_printf(g->notes,
                      "view \"%s\": served read-only (list only), ordered and paged by column \"%s\" (a view has "
                      "no key: rows with equal values there may be paged over)\n",
                      t->name, t->columns[k].name);
        return;
    }
    for (unsigned i = 0; i < t->index_count; i++) {
        const gg_pg_db_index *x = &t->indexes[i];
        if (!x->primary) continue;
        if (x->plain && keyable(g, t, x->columns, x->column_count, false)) {
            p->key = x->columns;
            p->key_count = x->column_count;
            return;
        }
    }
    for (unsigned i = 0; i < t->index_count; i++) {
        const gg_pg_db_index *x = &t->indexes[i];
        if (x->primary || !x->unique || !x->plain || !keyable(g, t, x->columns, x->column_count, true)) continue;
        p->key = x->columns;
        p->key_count = x->column_count;
        gg_buf_printf(g->notes, "table \"%s\" has no usable primary key: keyed by its unique index \"%s\"\n", t->name,
                      x->name);
        return;
    }
    gg_buf_printf(g->notes,
                  "table \"%s\": skipped (no primary key, and no unique index over NOT NULL columns of scalar "
                  "types)\n",
                  t->name);
}

/* The column of a one-column integer key with a default (serial, identity) that no column named id
 * takes the place of, or -1. Served as Amplify's id (ID!), a create may leave it out and the
 * database numbers the row; under its own name (orderId: Int! @primaryKey) it is a required create
 * input, and an identity column GENERATED ALWAYS refuses every value. */
static int numbered_key_as_id(const generator *g, const model_plan *p)
{
    const gg_pg_db_table *t = p->table;
    if (t->is_view || p->key_count != 1) return -1;
    const gg_pg_db_column *c = &t->columns[p->key[0]];
    bool integer =
        strcmp(c->base_type, "int2") == 0 || strcmp(c->base_type, "int4") == 0 || strcmp(c->base_type, "int8") == 0;
    if (!integer || !c->has_default || c->is_array || value_type(g, c) == NULL) return -1;
    for (unsigned k = 0; k < t->column_count; k++)
        if (strcmp(convert_name(g->arena, t->columns[k].name, false), "id") == 0 && k != p->key[0]) return -1;
    return (int)p->key[0];
}

static void name_fields(generator *g, model_plan *p)
{
    const gg_pg_db_table *t = p->table;
    p->field_names = gg_arena_array(g->arena, t->column_count ? t->column_count : 1, sizeof *p->field_names);
    p->field_types = gg_arena_array(g->arena, t->column_count ? t->column_count : 1, sizeof *p->field_types);
    int as_id = numbered_key_as_id(g, p);
    if (as_id >= 0 && strcmp(t->columns[as_id].name, "id") != 0)
        gg_buf_printf(g->notes,
                      "table \"%s\" column \"%s\" (a key the database numbers): served as id, which a create may "
                      "leave out\n",
                      t->name, t->columns[as_id].name);
    for (unsigned k = 0; k < t->column_count; k++) {
        const gg_pg_db_column *c = &t->columns[k];
        const char *type = value_type(g, c);
        if (secret_name(c->name) && !in_key(p, k)) {
            gg_buf_printf(g->notes,
                          "table \"%s\" column \"%s\": left out, its name says it holds a secret that every API key "
                          "holder could read (add it to schema.graphql, with an @auth rule, if clients need it)%s\n",
                          t->name, c->name,
                          c->not_null && !c->has_default && !t->is_view ? " (NOT NULL without a default: creates fail)"
                                                                        : "");
            continue;
        }
        if (type == NULL) {
            gg_buf_printf(g->notes, "table \"%s\" column \"%s\" (%s): left out, no GraphQL scalar holds it%s\n",
                          t->name, c->name, c->type,
                          c->not_null && !c->has_default && !t->is_view ? " (NOT NULL without a default: creates fail)"
                                                                        : "");
            continue;
        }
        const char *name = (int)k == as_id ? "id" : convert_name(g->arena, c->name, false);
        if (strcmp(name, "and") == 0 || strcmp(name, "or") == 0 || strcmp(name, "not") == 0) {
            /* the model's filter and condition inputs combine with these: a field of the same name
             * there would be defined twice, and the schema would not start */
            const char *renamed = gg_arena_printf(g->arena, "%sField", name);
            gg_buf_printf(g->notes, "table \"%s\" column \"%s\": %s is a name the filter inputs use, served as %s\n",
                          t->name, c->name, name, renamed);
            name = renamed;
        }
        const char *unique = unique_name(g->arena, p->used.items, p->used.count, name);
        if (unique != name)
            gg_buf_printf(g->notes, "table \"%s\" column \"%s\": %s is taken, served as %s\n", t->name, c->name, name,
                          unique);
        else if (!is_graphql_name(c->name))
            gg_buf_printf(g->notes, "table \"%s\" column \"%s\" is not a GraphQL name: served as %s\n", t->name,
                          c->name, unique);
        GG_VEC_PUSH(g->arena, p->used, unique);
        p->field_names[k] = unique;
        bool key = in_key(p, k);
        bool non_null = key || (c->not_null && !c->has_default);
        if ((int)k == as_id) type = "ID"; /* as Amplify's id: a create may leave it out, the default fills it in */
        if (key && t->is_view && !c->is_array && strcmp(c->base_type, "int8") == 0)
            type = "ID"; /* as a table's bigint key (a view's rows are often a table's): not a Float */
        if (!t->is_view && (c->generated || c->identity_always))
            gg_buf_printf(g->notes, "table \"%s\" column \"%s\" is %s: served @readOnly, in no create %s\n", t->name,
                          c->name, c->generated ? "generated by the database" : "an identity GENERATED ALWAYS",
                          key ? "input (an update names its row by it)" : "or update input");
        if (!key && strcmp(c->base_type, "int8") == 0 && strcmp(type, "Float") == 0)
            gg_buf_printf(g->notes,
                          "table \"%s\" column \"%s\" is bigint: served as Float, exact to 2^53 like a JavaScript "
                          "number (GraphQL's Int is 32-bit; declare the field ID to serve every digit as a "
                          "string)\n",
                          t->name, c->name);
        if (c->is_array)
            p->field_types[k] = gg_arena_printf(g->arena, "[%s]%s", type, non_null ? "!" : "");
        else
            p->field_types[k] = gg_arena_printf(g->arena, "%s%s", type, non_null ? "!" : "");
        bool date_time = !c->is_array && strcmp(type, "AWSDateTime") == 0 && !key && !t->is_view;
        if (date_time && strcmp(unique, "createdAt") == 0) p->created_at = unique;
        if (date_time && strcmp(unique, "updatedAt") == 0) p->updated_at = unique;
    }
    /* a timestamp is set by graphgate: never required from the client */
    for (unsigned k = 0; k < t->column_count; k++)
        if (p->field_names[k] != NULL && ((p->created_at && p->field_names[k] == p->created_at) ||
                                          (p->updated_at && p->field_names[k] == p->updated_at)))
            p->field_types[k] = t->columns[k].not_null ? "AWSDateTime!" : "AWSDateTime";
}

static bool same_columns(const unsigned *a, unsigned a_count, const unsigned *b, unsigned b_count)
{
    if (a_count != b_count) return false;
    for (unsigned i = 0; i < a_count; i++)
        if (a[i] != b[i]) return false;
    return true;
}

static bool all_named(const model_plan *p, const unsigned *columns, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (p->field_names[columns[i]] == NULL) return false;
    return true;
}

/* The referencing model's fields of foreign key fk in the order of the target's key, or NULL when
 * fk does not reference the target's whole key. */
static const char **references(generator *g, const model_plan *child, const gg_pg_db_foreign_key *fk,
                               const model_plan *parent)
{
    if (fk->column_count != parent->key_count || !all_named(child, fk->columns, fk->column_count)) return NULL;
    const char **fields = gg_arena_array(g->arena, fk->column_count, sizeof *fields);
    for (unsigned k = 0; k < parent->key_count; k++) {
        fields[k] = NULL;
        for (unsigned i = 0; i < fk->column_count; i++)
            if (fk->target_columns[i] == parent->key[k]) fields[k] = child->field_names[fk->columns[i]];
        if (fields[k] == NULL) return NULL;
    }
    return fields;
}

static const char *field_name_taken_or(generator *g, model_plan *p, const char *name, const char *fallback_suffix)
{
    if (!taken(p->used.items, p->used.count, name)) return name;
    const char *alternative = gg_arena_printf(g->arena, "%sBy%s", name, fallback_suffix);
    return unique_name(g->arena, p->used.items, p->used.count, alternative);
}

static void write_references(gg_buf *b, const char *const *fields, unsigned count)
{
    gg_buf_puts(b, "references: [");
    for (unsigned i = 0; i < count; i++)
        gg_buf_printf(b, "%s\"%s\"", i ? ", " : "", fields[i]);
    gg_buf_puts(b, "]");
}

/* Whether columns are unique in t: its primary key or a plain unique index over exactly them (in
 * any order). A foreign key over such columns makes a one-to-one relation. */
static bool unique_columns(const gg_pg_db_table *t, const unsigned *columns, unsigned count)
{
    for (unsigned i = 0; i < t->index_count; i++) {
        const gg_pg_db_index *x = &t->indexes[i];
        if (!(x->primary || (x->unique && x->plain)) || x->column_count != count) continue;
        bool same = true;
        for (unsigned k = 0; k < count && same; k++) {
            bool found = false;
            for (unsigned j = 0; j < count; j++)
                found |= x->columns[j] == columns[k];
            same = found;
        }
        if (same) return true;
    }
    return false;
}

static void plan_relations(generator *g)
{
    for (unsigned i = 0; i < g->db->table_count; i++) {
        model_plan *child = &g->plans[i];
        if (child->type_name == NULL) continue;
        if (child->table->row_security)
            gg_buf_printf(g->notes,
                          "table \"%s\" has row level security (%u %s): graphgate reads and writes the rows they "
                          "allow the role of its database URL, every row for the table's owner, a superuser or a "
                          "BYPASSRLS role, and none for another role without a policy; the @auth rules are not "
                          "made from them\n",
                          child->table->name, child->table->policy_count,
                          child->table->policy_count == 1 ? "policy" : "policies");
        for (unsigned f = 0; f < child->table->outside_key_count; f++)
            gg_buf_printf(g->notes, "table \"%s\" foreign key %s, a table not read here: no relation\n",
                          child->table->name, child->table->outside_keys[f]);
        for (unsigned f = 0; f < child->table->foreign_key_count; f++) {
            const gg_pg_db_foreign_key *fk = &child->table->foreign_keys[f];
            model_plan *parent = &g->plans[fk->target];
            const char **fields = parent->type_name ? references(g, child, fk, parent) : NULL;
            if (fields == NULL) {
                gg_buf_printf(g->notes,
                              "table \"%s\" foreign key \"%s\": no relation (it does not reference the whole key of "
                              "a served model)\n",
                              child->table->name, fk->name);
                continue;
            }
            /* child side: customer_id -> customer; else the parent's type name */
            const char *base = fk->column_count == 1 ? child->field_names[fk->columns[0]] : "";
            size_t n = strlen(base);
            const char *belongs = n > 2 && (ends_with(base, "Id") || ends_with(base, "ID"))
                                      ? gg_arena_strndup(g->arena, base, n - 2)
                                      : convert_name(g->arena, parent->type_name, false);
            gg_buf suffix;
            gg_buf_init(&suffix);
            for (unsigned k = 0; k < fk->column_count; k++)
                gg_buf_puts(&suffix, convert_name(g->arena, child->field_names[fk->columns[k]], true));
            const char *suffix_text = gg_arena_strdup(g->arena, suffix.data);
            gg_buf_free(&suffix);
            belongs = field_name_taken_or(g, child, belongs, suffix_text);
            GG_VEC_PUSH(g->arena, child->used, belongs);
            /* parent side: the child's table name in camelCase (tables are named in the plural),
             * or the plural of its type when the table is named in the singular; one child at most
             * (its foreign key is its key, or unique): the child's type name, @hasOne */
            bool one = unique_columns(child->table, fk->columns, fk->column_count);
            const char *many = convert_name(g->arena, child->table->name, false);
            if (one)
                many = convert_name(g->arena, child->type_name, false);
            else if (strcmp(many, convert_name(g->arena, child->type_name, false)) == 0)
                many = gg_amplify_pluralize(g->arena, convert_name(g->arena, child->type_name, false));
            many = field_name_taken_or(g, parent, many, suffix_text);
            GG_VEC_PUSH(g->arena, parent->used, many);
            gg_buf line;
            gg_buf_init(&line);
            gg_buf_printf(&line, "%s: %s @belongsTo(", belongs, parent->type_name);
            write_references(&line, fields, fk->column_count);
            gg_buf_puts(&line, ")");
            GG_VEC_PUSH(g->arena, child->extra, gg_arena_strdup(g->arena, line.data));
            line.len = 0;
            gg_buf_printf(&line, one ? "%s: %s @hasOne(" : "%s: [%s] @hasMany(", many, child->type_name);
            write_references(&line, fields, fk->column_count);
            gg_buf_puts(&line, ")");
            GG_VEC_PUSH(g->arena, parent->extra, gg_arena_strdup(g->arena, line.data));
            gg_buf_free(&line);
        }
    }
}

/* "(sortKeyFields: [...])" of a key or index over columns, when it has more than one. */
static void write_sort_key_fields(gg_buf *b, const model_plan *p, const unsigned *columns, unsigned count)
{
    if (count < 2) return;
    gg_buf_puts(b, "(sortKeyFields: [");
    for (unsigned i = 1; i < count; i++)
        gg_buf_printf(b, "%s\"%s\"", i > 1 ? ", " : "", p->field_names[columns[i]]);
    gg_buf_puts(b, "])");
}

/* @primaryKey or @index directives of column k, in the model's text. */
static void write_key_directives(generator *g, gg_buf *b, const model_plan *p, unsigned k)
{
    const gg_pg_db_table *t = p->table;
    bool default_key =
        p->key_count == 1 && strcmp(p->field_names[k], "id") == 0 && strcmp(p->field_types[k], "ID!") == 0;
    if (p->key[0] == k && !default_key) {
        gg_buf_puts(b, " @primaryKey");
        write_sort_key_fields(b, p, p->key, p->key_count);
    }
    for (unsigned i = 0; i < t->index_count; i++) {
        const gg_pg_db_index *x = &t->indexes[i];
        if (x->primary || !x->plain || x->columns[0] != k ||
            same_columns(x->columns, x->column_count, p->key, p->key_count) ||
            !keyable(g, t, x->columns, x->column_count, false) || !all_named(p, x->columns, x->column_count))
            continue;
        bool repeated = false; /* an earlier index over the same columns */
        for (unsigned e = 0; e < i && !repeated; e++)
            repeated = t->indexes[e].plain && !t->indexes[e].primary &&
                       same_columns(t->indexes[e].columns, t->indexes[e].column_count, x->columns, x->column_count);
        if (repeated) continue;
        gg_buf_puts(b, " @index");
        write_sort_key_fields(b, p, x->columns, x->column_count);
    }
}

static void write_model(generator *g, gg_buf *b, const model_plan *p)
{
    const gg_pg_db_table *t = p->table;
    gg_buf_printf(b, "\ntype %s @model", p->type_name);
    if (t->is_view) {
        gg_buf_puts(b, "(queries: {get: null}, mutations: null, subscriptions: null, timestamps: null)");
    } else if (p->created_at == NULL && p->updated_at == NULL) {
        gg_buf_puts(b, "(timestamps: null)");
    } else if (p->created_at == NULL || p->updated_at == NULL) {
        gg_buf_printf(b, "(timestamps: {createdAt: %s, updatedAt: %s})", p->created_at ? "\"createdAt\"" : "null",
                      p->updated_at ? "\"updatedAt\"" : "null");
    }
    if (strcmp(p->type_name, t->name) != 0) gg_buf_printf(b, " @refersTo(name: \"%s\")", t->name);
    gg_buf_puts(b, " @auth(rules: [{allow: public}]) {\n");
    for (unsigned k = 0; k < t->column_count; k++) {
        if (p->field_names[k] == NULL) continue;
        const char *type = p->field_types[k];
        if (t->is_view && p->key[0] == k && type[strlen(type) - 1] != '!')
            type = gg_arena_printf(g->arena, "%s!", type); /* a key field is non-null */
        gg_buf_printf(b, "  %s: %s", p->field_names[k], type);
        if (strcmp(p->field_names[k], t->columns[k].name) != 0)
            gg_buf_printf(b, " @refersTo(name: \"%s\")", t->columns[k].name);
        if (!t->is_view && (t->columns[k].generated || t->columns[k].identity_always)) gg_buf_puts(b, " @readOnly");
        write_key_directives(g, b, p, k);
        gg_buf_putc(b, '\n');
    }
    for (unsigned i = 0; i < p->extra.count; i++)
        gg_buf_printf(b, "  %s\n", p->extra.items[i]);
    gg_buf_puts(b, "}\n");
}

/* A timestamp (without time zone) column is served as UTC (AWSDateTime with Z), while PostgreSQL
 * computes its DEFAULT now() or CURRENT_TIMESTAMP in the session's TimeZone: in another zone,
 * the rows a create leaves to that default read hours off. Said once, naming the first such
 * column (the model's timestamps are set by graphgate, in UTC). */
static void note_time_zone(generator *g)
{
    static const char *const utc[] = {"UTC", "Etc/UTC", "GMT", "Etc/GMT", "UCT", "Etc/UCT", "Universal", "Zulu", NULL};
    const char *zone = g->db->time_zone ? g->db->time_zone : "UTC";
    for (unsigned i = 0; utc[i]; i++)
        if (strcmp(zone, utc[i]) == 0) return;
    for (unsigned i = 0; i < g->db->table_count; i++) {
        const model_plan *p = &g->plans[i];
        for (unsigned k = 0; p->type_name && k < p->table->column_count; k++) {
            const gg_pg_db_column *c = &p->table->columns[k];
            const char *field = p->field_names[k];
            if (field == NULL || !c->has_default || c->generated || strcmp(c->base_type, "timestamp") != 0 ||
                field == p->created_at || field == p->updated_at)
                continue;
            gg_buf_printf(g->notes,
                          "table \"%s\" column \"%s\" is a timestamp without time zone, served as UTC, whose "
                          "default PostgreSQL computes in the session's TimeZone, %s: a create that leaves it out "
                          "reads hours off (ALTER DATABASE ... SET TimeZone = 'UTC' when the stored times are UTC)\n",
                          p->table->name, c->name, zone);
            return;
        }
    }
}

unsigned gg_init_generate_sdl(const gg_pg_db_schema *db, const char *schema_name, bool tables_named, gg_buf *sdl,
                              gg_buf *notes)
{
    gg_arena arena;
    gg_arena_init(&arena);
    generator g = {.arena = &arena, .db = db, .notes = notes};
    g.plans = gg_arena_array(&arena, db->table_count ? db->table_count : 1, sizeof *g.plans);
    name_enums(&g);
    for (unsigned i = 0; i < db->table_count; i++) {
        model_plan *p = &g.plans[i];
        p->table = &db->tables[i];
        if (!tables_named && bookkeeping_table(p->table->name)) {
            gg_buf_printf(notes,
                          "table \"%s\": skipped (a migration tool's or session store's bookkeeping; --tables "
                          "serves it when it names it)\n",
                          p->table->name);
            continue;
        }
        choose_key(&g, p);
        if (p->key_count == 0) continue;
        name_fields(&g, p);
        if (!all_named(p, p->key, p->key_count)) { /* cannot happen: keyable columns have types */
            gg_buf_printf(notes, "table \"%s\": skipped (a key column has no GraphQL type)\n", p->table->name);
            continue;
        }
        p->type_name = type_name_for(&g, p->table->name, p->table->is_view ? "view" : "table", true);
    }
    plan_relations(&g);
    note_time_zone(&g);
    unsigned models = 0;
    gg_buf_printf(sdl,
                  "# The tables and views of PostgreSQL schema \"%s\" as Amplify @model types, written by\n"
                  "# graphgate init --from-database. @refersTo keeps each table's and column's own name; edit freely\n"
                  "# (graphgate --check validates it).\n",
                  schema_name);
    for (unsigned i = 0; i < db->enum_count; i++) {
        if (g.enum_names[i] == NULL) continue;
        const gg_pg_db_enum *e = &db->enums[i];
        gg_buf_printf(sdl, "\nenum %s {\n", g.enum_names[i]);
        for (unsigned k = 0; k < e->label_count; k++)
            gg_buf_printf(sdl, "  %s\n", e->labels[k]);
        gg_buf_puts(sdl, "}\n");
    }
    for (unsigned i = 0; i < db->table_count; i++) {
        if (g.plans[i].type_name == NULL) continue;
        write_model(&g, sdl, &g.plans[i]);
        models++;
    }
    gg_arena_free(&arena);
    return models;
}
