/* sql_directive.c: @sql fields over PostgreSQL; see sql_directive.h.
 *
 * Design: all the checking happens once at start-up (reading the reference, finding
 * placeholders with sql_placeholders.c, matching them with arguments), so a request only looks its
 * arguments up by name and sends a prepared statement.
 * Rows are mapped to gg_val by column type OID; the executor then applies the field's type
 * (scalar coercion, non-null checks), so this file does not repeat them. Dates and times come out
 * in AppSync's forms (UTC, milliseconds) and one-dimensional arrays as lists, as the @model fields
 * over the same columns give them (pg_model.h). */
#include "sql_directive.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/log.h"
#include "execute/execute.h"
#include "execute/values.h"
#include "pg_failure.h"
#include "graphql/json_read.h"
#include "realtime/pubsub.h"
#include "replica.h"

/* ---- binding (start-up) ---- */

/* Whether the statement's first word (after blanks) is DELETE. */
static bool starts_with_delete(const char *sql)
{
    while (isspace((unsigned char)*sql))
        sql++;
    char next = sql[6]; /* DELETE as a word: no identifier character follows */
    return strncasecmp(sql, "delete", 6) == 0 &&
           !(isalnum((unsigned char)next) || next == '_' || next == '$' || (unsigned char)next >= 0x80);
}

/* Where a parameter's value comes from. */
typedef enum param_source {
    PARAM_ARGUMENT,      /* the field's argument of that name */
    PARAM_ARGUMENT_JSON, /* an AWSJSON argument: bound as JSON text even when a string */
    PARAM_IDENTITY_SUB,
    PARAM_IDENTITY_USERNAME,
    PARAM_IDENTITY_GROUPS, /* a text[] literal */
    PARAM_IDENTITY_CLAIM,  /* identity.claims.<name>: its text (JSON text when not a string) */
    PARAM_IDENTITY_SOURCE_IP,
    PARAM_IDENTITY_ISSUER,
} param_source;

typedef struct sql_target {
    gg_sql_compiled stmt;
    unsigned char *param_source; /* per parameter: a param_source */
    const char *where;           /* "Query.field", for logs */
    bool is_mutation;
    bool is_delete; /* the statement starts with DELETE: a foreign key violation means other rows refer to it */
    bool is_list, is_composite;
    bool log_sql;
} sql_target;

/* True when the relative path climbs above its starting folder ("..", "a/../.."). */
static bool climbs_out(const char *path)
{
    int depth = 0;
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0) return true;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        while (*p == '/')
            p++;
    }
    return false;
}

/* Reads the file `reference` under dir into the arena; NULL with fault set. Refuses absolute paths,
 * paths with "..", and symbolic links leading out of dir. */
static const char *read_reference(gg_arena *arena, const char *dir, const char *reference, const char *where,
                                  gg_fault *fault)
{
    if (reference[0] == '/' || reference[0] == '\0' || climbs_out(reference)) {
        gg_fault_set(fault, NULL, "@sql on \"%s\": reference \"%s\" must name a file inside the schema's folder %s",
                     where, reference, dir);
        return NULL;
    }
    char *path = gg_arena_printf(arena, "%s/%s", dir, reference);
    char real_dir[PATH_MAX], real_file[PATH_MAX];
    if (realpath(dir, real_dir) == NULL || realpath(path, real_file) == NULL) {
        gg_fault_set(fault, NULL, "@sql on \"%s\": cannot read reference \"%s\": %s", where, path, strerror(errno));
        return NULL;
    }
    size_t dl = strlen(real_dir);
    if (strncmp(real_file, real_dir, dl) != 0 || (real_file[dl] != '/' && dl > 1)) {
        gg_fault_set(fault, NULL, "@sql on \"%s\": reference \"%s\" leads outside the schema's folder %s", where,
                     reference, dir);
        return NULL;
    }
    size_t len;
    char why[128];
    char *text = gg_file_read(real_file, GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why));
    if (text == NULL) gg_fault_set(fault, NULL, "@sql on \"%s\": cannot read reference \"%s\": %s", where, path, why);
    const char *s = text == NULL ? NULL : gg_arena_strndup(arena, text, len);
    free(text);
    return s;
}

/* Classifies the field's type: list or not, composite or scalar; false for nested lists. */
static bool classify(const gg_type *t, sql_target *target)
{
    if (t->kind == GG_KIND_NON_NULL) t = t->of_type;
    if (t->kind == GG_KIND_LIST) {
        target->is_list = true;
        t = t->of_type;
        if (t->kind == GG_KIND_NON_NULL) t = t->of_type;
    }
    target->is_composite = t->kind == GG_KIND_OBJECT || t->kind == GG_KIND_INTERFACE || t->kind == GG_KIND_UNION;
    return t->kind != GG_KIND_LIST;
}

static void resolve_sql(gg_resolve_info *info);

static bool is_awsjson(const gg_type *t)
{
    while (t->kind == GG_KIND_NON_NULL || t->kind == GG_KIND_LIST)
        t = t->of_type;
    return t->kind == GG_KIND_SCALAR && strcmp(t->name, "AWSJSON") == 0;
}

/* The param_source of ":identity.<path>" (path after "identity."), or -1 when unknown. */
static int identity_source(const char *path)
{
    static const struct {
        const char *name;
        param_source source;
    } known[] = {{"sub", PARAM_IDENTITY_SUB},
                 {"username", PARAM_IDENTITY_USERNAME},
                 {"groups", PARAM_IDENTITY_GROUPS},
                 {"sourceIp", PARAM_IDENTITY_SOURCE_IP},
                 {"issuer", PARAM_IDENTITY_ISSUER}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(path, known[i].name) == 0) return (int)known[i].source;
    if (strncmp(path, "claims.", 7) == 0 && path[7] != '\0') return PARAM_IDENTITY_CLAIM;
    return -1;
}

static bool bind_one(gg_schema *schema, const gg_amplify_custom_field *cf, const char *dir, const gg_pg_options *opts,
                     gg_fault *fault)
{
    gg_arena *arena = &schema->arena;
    const char *where = gg_arena_printf(arena, "%s.%s", cf->type, cf->field);
    gg_type *parent = gg_schema_find_type(schema, cf->type);
    gg_field *field = parent ? gg_type_find_field(parent, cf->field) : NULL;
    if (field == NULL) {
        gg_fault_set(fault, NULL, "@sql on \"%s\": the field is not in the served schema", where);
        return false;
    }
    const char *text = cf->sql_statement;
    if (text == NULL) text = read_reference(arena, dir, cf->sql_reference, where, fault);
    if (text == NULL) return false;
    sql_target *t = gg_arena_alloc(arena, sizeof *t);
    char why[256];
    if (!gg_sql_compile(arena, text, &t->stmt, GG_FAULT_INTO(why))) {
        gg_fault_set(fault, NULL, "@sql on \"%s\" (line %u): %s", where, cf->loc.line, why);
        return false;
    }
    t->param_source = gg_arena_array(arena, t->stmt.param_count ? t->stmt.param_count : 1, 1);
    for (unsigned i = 0; i < t->stmt.param_count; i++) {
        const char *name = t->stmt.param_names[i];
        if (strncmp(name, "identity.", 9) == 0) {
            int source = identity_source(name + 9);
            if (source < 0) {
                gg_fault_set(fault, NULL,
                             "@sql on \"%s\" (line %u): unknown :%s (the identity has sub, username, groups, "
                             "claims.<name>, sourceIp and issuer)",
                             where, cf->loc.line, name);
                return false;
            }
            t->param_source[i] = (unsigned char)source;
            continue;
        }
        const gg_input_value *arg = gg_field_find_arg(field, name);
        if (arg != NULL) {
            t->param_source[i] = is_awsjson(arg->type) ? PARAM_ARGUMENT_JSON : PARAM_ARGUMENT;
            continue;
        }
        gg_fault_set(fault, NULL, "@sql on \"%s\" (line %u): the parameter :%s names no argument of the field", where,
                     cf->loc.line, t->stmt.param_names[i]);
        return false;
    }
    if (!classify(field->type, t)) {
        gg_fault_set(fault, NULL, "@sql on \"%s\": lists of lists are not supported", where);
        return false;
    }
    t->where = where;
    t->is_mutation = parent == schema->mutation_type;
    t->is_delete = starts_with_delete(t->stmt.sql);
    t->log_sql = opts && opts->log_sql;
    field->resolve = resolve_sql;
    field->resolve_data = t;
    return true;
}

bool gg_pg_bind_sql(gg_schema *schema, const gg_amplify_catalog *catalog, const char *schema_dir,
                    const gg_pg_options *opts, gg_fault *fault)
{
    const char *dir = schema_dir && schema_dir[0] ? schema_dir : ".";
    for (unsigned i = 0; i < catalog->custom_field_count; i++) {
        const gg_amplify_custom_field *cf = &catalog->custom_fields[i];
        if (cf->sql_statement == NULL && cf->sql_reference == NULL) continue;
        if (!bind_one(schema, cf, dir, opts, fault)) return false;
    }
    return true;
}

/* ---- run time ---- */

typedef struct pending {
    gg_resolve_info *info;
    const sql_target *target;
    gg_pg_pool *pool;
    gg_pubsub *pubsub;
} pending;

static const char *json_text(gg_arena *arena, const gg_val *v)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_val_write_json(&b, v);
    const char *s = gg_arena_strndup(arena, b.data ? b.data : "", b.len);
    gg_buf_free(&b);
    return s;
}

/* The text of an argument as a statement parameter (NULL: SQL NULL); as_json: always JSON. */
static const char *param_text(gg_arena *arena, const gg_val *v, bool as_json)
{
    if (v == NULL || v->kind == GG_VAL_UNDEFINED || v->kind == GG_VAL_NULL) return NULL;
    if (as_json) return json_text(arena, v);
    switch (v->kind) {
    case GG_VAL_UNDEFINED:
    case GG_VAL_NULL:
        return NULL;
    case GG_VAL_BOOL:
        return v->b ? "true" : "false";
    case GG_VAL_INT:
        return gg_arena_printf(arena, "%lld", (long long)v->i);
    case GG_VAL_FLOAT: {
        char num[64];
        size_t n = gg_format_double(v->f, num);
        return gg_arena_strndup(arena, num, n);
    }
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
    case GG_VAL_RAW:
        return v->s;
    case GG_VAL_LIST:
    case GG_VAL_OBJECT:
    case GG_VAL_ROW:
        break;
    }
    return json_text(arena, v);
}

/* A PostgreSQL array literal of texts: {"a","b\\"c"} (every element quoted, '"' and '\\' escaped). */
static const char *text_array(gg_arena *arena, char *const *items, size_t count)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_putc(&b, '{');
    for (size_t i = 0; i < count; i++) {
        gg_buf_puts(&b, i ? ",\"" : "\"");
        for (const char *c = items[i]; *c; c++) {
            if (*c == '"' || *c == '\\') gg_buf_putc(&b, '\\');
            gg_buf_putc(&b, *c);
        }
        gg_buf_putc(&b, '"');
    }
    gg_buf_putc(&b, '}');
    const char *s = gg_arena_strndup(arena, b.data, b.len);
    gg_buf_free(&b);
    return s;
}

/* The text of an :identity.* parameter (NULL: SQL NULL). Everything is NULL without an identity (auth
 * NONE); groups are NULL for an API key (no token), else an array, maybe empty. name is the
 * parameter's name ("identity.claims.<claim>" for a claim). */
static const char *identity_text(gg_arena *arena, const gg_pg_request *req, unsigned source, const char *name)
{
    const gg_auth_identity *identity = req->identity;
    if (identity == NULL || identity->mode == GG_AUTH_NONE) return NULL;
    switch ((param_source)source) {
    case PARAM_IDENTITY_SUB:
        return identity->sub;
    case PARAM_IDENTITY_USERNAME:
        return identity->username;
    case PARAM_IDENTITY_ISSUER:
        return identity->issuer;
    case PARAM_IDENTITY_SOURCE_IP:
        return req->source_ip;
    case PARAM_IDENTITY_GROUPS:
        return identity->payload != NULL ? text_array(arena, identity->groups, identity->group_count) : NULL;
    case PARAM_IDENTITY_CLAIM: {
        const cJSON *claim =
            cJSON_GetObjectItemCaseSensitive(gg_auth_identity_claims(identity), name + strlen("identity.claims."));
        if (claim == NULL || cJSON_IsNull(claim)) return NULL;
        if (cJSON_IsString(claim)) return claim->valuestring;
        char *printed = cJSON_PrintUnformatted(claim);
        if (printed == NULL) return NULL;
        const char *s = gg_arena_strdup(arena, printed);
        cJSON_free(printed);
        return s;
    }
    default:
        return NULL;
    }
}

bool gg_sql_identity_known(const char *name)
{
    return strncmp(name, "identity.", 9) == 0 && identity_source(name + 9) >= 0;
}

const char *gg_sql_identity_text(gg_arena *arena, const gg_pg_request *request, const char *name)
{
    int source = gg_sql_identity_known(name) ? identity_source(name + 9) : -1;
    return source >= 0 && request != NULL ? identity_text(arena, request, (unsigned)source, name) : NULL;
}

const char *gg_sql_param_text(gg_arena *arena, const gg_val *value)
{
    return param_text(arena, value, false);
}

/* PostgreSQL type OIDs (pg_type.dat) the mapping distinguishes. */
enum {
    OID_BOOL = 16,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_JSON = 114,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700,
    OID_JSONB = 3802,
    OID_DATE = 1082,
    OID_TIME = 1083,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_TIMETZ = 1266,
};

/* The element type of a one-dimensional array type the mapping reads, or 0. */
static Oid element_of(Oid array)
{
    static const Oid pairs[][2] = {
        {1000, OID_BOOL},
        {1005, OID_INT2},
        {1007, OID_INT4},
        {1016, OID_INT8},
        {1021, OID_FLOAT4},
        {1022, OID_FLOAT8},
        {1231, OID_NUMERIC},
        {199, OID_JSON},
        {3807, OID_JSONB},
        {1182, OID_DATE},
        {1183, OID_TIME},
        {1115, OID_TIMESTAMP},
        {1185, OID_TIMESTAMPTZ},
        {1270, OID_TIMETZ},
        {1009, 25},
        {1015, 1043},
        {1014, 1042},
        {2951, 2950},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (pairs[i][0] == array) return pairs[i][1];
    return 0;
}

/* A date or time value (PostgreSQL's ISO output) as a string in AppSync's form, as @model fields
 * over the same column types write it (gg_pg_wire_text: UTC, milliseconds; infinity is null); NULL
 * when gg_pg_wire_text cannot read it (another DateStyle): the text is kept. */
static gg_val *aws_time_value(gg_arena *arena, Oid type, const char *s, size_t len)
{
    gg_pg_output output = type == OID_DATE        ? GG_PG_OUTPUT_DATE
                          : type == OID_TIME      ? GG_PG_OUTPUT_TIME
                          : type == OID_TIMETZ    ? GG_PG_OUTPUT_TIMETZ
                          : type == OID_TIMESTAMP ? GG_PG_OUTPUT_TIMESTAMP
                                                  : GG_PG_OUTPUT_TIMESTAMPTZ;
    char out[GG_PG_WIRE_TEXT_MAX];
    size_t n = gg_pg_wire_text(output, s, len, out);
    if (n == 0) return out[0] == '\0' ? &gg_val_null_value : NULL;
    return gg_val_string(arena, out, n);
}

static gg_val *typed_value(gg_arena *arena, Oid type, const char *s, size_t len);

/* A one-dimensional array's text ({a,"b c",NULL}) as a list of values of type element; NULL when
 * it is not one (more dimensions, bounds): the text is kept. */
static gg_val *array_value(gg_arena *arena, Oid element, const char *s)
{
    if (*s++ != '{') return NULL;
    gg_val *list = gg_val_list(arena, 4);
    if (*s == '}') return s[1] == '\0' ? list : NULL;
    gg_buf item;
    gg_buf_init(&item);
    bool ok = true;
    for (;;) {
        item.len = 0;
        bool quoted = *s == '"';
        if (quoted) {
            for (s++; *s && *s != '"'; s++) {
                if (*s == '\\' && s[1]) s++;
                gg_buf_putc(&item, *s);
            }
            if (*s++ != '"') ok = false;
        } else {
            for (; *s && *s != ',' && *s != '}'; s++) {
                if (*s == '{' || *s == '"') ok = false;
                gg_buf_putc(&item, *s);
            }
        }
        if (!ok) break;
        gg_buf_putc(&item, '\0');
        item.len--;
        bool is_null = !quoted && strcmp(item.data, "NULL") == 0;
        gg_val_list_push(arena, list, is_null ? &gg_val_null_value : typed_value(arena, element, item.data, item.len));
        if (*s == ',') {
            s++;
            continue;
        }
        ok = *s == '}' && s[1] == '\0';
        break;
    }
    gg_buf_free(&item);
    return ok ? list : NULL;
}

static gg_val *typed_value(gg_arena *arena, Oid type, const char *s, size_t len)
{
    char *end;
    switch (type) {
    case OID_BOOL:
        return gg_val_bool(s[0] == 't');
    case OID_INT2:
    case OID_INT4:
    case OID_INT8: {
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno == 0 && *end == '\0') return gg_val_int(arena, v);
        break;
    }
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: {
        double v = strtod(s, &end);
        if (*end == '\0') return gg_val_float(arena, v);
        break;
    }
    case OID_JSON:
    case OID_JSONB: {
        gg_val *v = gg_json_read(arena, s, len);
        if (v == NULL) break;
        return v;
    }
    case OID_DATE:
    case OID_TIME:
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ:
    case OID_TIMETZ: {
        gg_val *v = aws_time_value(arena, type, s, len);
        if (v != NULL) return v;
        break;
    }
    default: {
        Oid element = element_of(type);
        gg_val *list = element ? array_value(arena, element, s) : NULL;
        if (list != NULL) return list;
        break;
    }
    }
    return gg_val_string(arena, s, len);
}

static gg_val *cell(gg_arena *arena, const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return &gg_val_null_value;
    return typed_value(arena, PQftype(r, col), PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

/* Row `row` as an object keyed by column names. */
static gg_val *row_object(gg_arena *arena, const PGresult *r, int row)
{
    int n = PQnfields(r);
    gg_val *obj = gg_val_object(arena, (unsigned)n);
    for (int c = 0; c < n; c++)
        gg_val_object_set(arena, obj, gg_arena_strdup(arena, PQfname(r, c)), cell(arena, r, row, c));
    return obj;
}

/* The field's value from the rows (see the header for the mapping). */
static gg_val *map_rows(gg_arena *arena, const sql_target *t, const PGresult *r)
{
    int rows = PQntuples(r);
    bool has_columns = PQnfields(r) > 0;
    if (!t->is_list) {
        if (rows == 0 || !has_columns) return &gg_val_null_value;
        return t->is_composite ? row_object(arena, r, 0) : cell(arena, r, 0, 0);
    }
    gg_val *list = gg_val_list(arena, (unsigned)rows);
    for (int i = 0; has_columns && i < rows; i++)
        gg_val_list_push(arena, list, t->is_composite ? row_object(arena, r, i) : cell(arena, r, i, 0));
    return list;
}

static void on_result(void *user, gg_pg_status status, const PGresult *result)
{
    pending *p = user;
    gg_resolve_info *info = p->info;
    if (status != GG_PG_OK) {
        gg_fault fault = gg_pg_failure_of(p->pool, status, result, p->target->where, p->target->is_delete);
        gg_resolve_fault(info, &fault);
        return;
    }
    gg_val *value = map_rows(info->arena, p->target, result);
    if (p->target->is_mutation) gg_pubsub_publish_value(p->pubsub, info->field->name, value);
    gg_resolve_return(info, value);
}

static void resolve_sql(gg_resolve_info *info)
{
    const sql_target *t = info->field->resolve_data;
    const gg_pg_request *req = info->context;
    if (req == NULL || req->pool == NULL) {
        gg_resolve_fault(info,
                         &(gg_fault){.error_type = "ServiceUnavailable", .message = "The database is unavailable."});
        return;
    }
    const char **values = gg_arena_array(info->arena, t->stmt.param_count ? t->stmt.param_count : 1, sizeof *values);
    for (unsigned i = 0; i < t->stmt.param_count; i++)
        values[i] = t->param_source[i] <= PARAM_ARGUMENT_JSON
                        ? param_text(info->arena, gg_val_object_get(info->args, t->stmt.param_names[i]),
                                     t->param_source[i] == PARAM_ARGUMENT_JSON)
                        : identity_text(info->arena, req, t->param_source[i], t->stmt.param_names[i]);
    pending *p = gg_arena_alloc(info->arena, sizeof *p);
    p->info = info;
    p->target = t;
    p->pool = req->pool;
    p->pubsub = req->pubsub;
    if (t->log_sql) gg_log_info("sql: %s", t->stmt.sql);
    if (!t->is_mutation && info->operation != NULL && info->operation->operation == GG_OP_QUERY)
        gg_pg_query_read(req, info->arena, t->stmt.sql, (int)t->stmt.param_count, values, 0, on_result, p);
    else /* mutations, and anything a mutation or a subscription reads, on the primary */
        gg_pg_pool_query(req->pool, req->owner, t->stmt.sql, (int)t->stmt.param_count, values, on_result, p);
}

/* ---- statements of plugins (gg_pg_query_rows): the same row mapping, a list of objects ---- */

typedef struct rows_pending {
    gg_arena *arena;
    gg_pg_pool *pool;
    const char *where;
    gg_pg_rows_fn done;
    void *user;
} rows_pending;

static void on_rows(void *user, gg_pg_status status, const PGresult *result)
{
    rows_pending *p = user;
    if (status != GG_PG_OK) {
        gg_fault fault = gg_pg_failure_of(p->pool, status, result, p->where, false);
        p->done(p->user, NULL, &fault);
        return;
    }
    int rows = PQntuples(result);
    gg_val *list = gg_val_list(p->arena, (unsigned)rows);
    for (int i = 0; PQnfields(result) > 0 && i < rows; i++)
        gg_val_list_push(p->arena, list, row_object(p->arena, result, i));
    p->done(p->user, list, NULL);
}

void gg_pg_query_rows(const gg_pg_request *request, gg_arena *arena, const char *where, const char *sql,
                      unsigned param_count, const char *const *values, gg_pg_rows_fn done, void *user)
{
    if (request == NULL || request->pool == NULL) {
        done(user, NULL, &(gg_fault){.error_type = "ServiceUnavailable", .message = "The database is unavailable."});
        return;
    }
    rows_pending *p = gg_arena_alloc(arena, sizeof *p);
    *p = (rows_pending){.arena = arena, .pool = request->pool, .where = where, .done = done, .user = user};
    gg_pg_pool_query(request->pool, request->owner, sql, (int)param_count, values, on_rows, p);
}
