/* plan_write.c: the write statements both plans share (create, update, delete); see plan_sql.h.
 *
 * Mutations follow DynamoDB: create evaluates its condition against an absent item (every column
 * NULL) and ON CONFLICT DO NOTHING turns a duplicate key into the same failure as a false condition;
 * update and delete put the key match and the condition in one WHERE clause, so the check is atomic.
 * ids come from gen_random_uuid(), timestamps from the database clock; a @readOnly field is
 * never written (the database fills it in: GENERATED, identity, a default or a trigger). A
 * mutation's input is checked by auth_input.h; the rule on the stored row of an update or delete
 * joins the key match and the condition in the WHERE clause, ahead of the condition
 * (put_write_condition).
 *
 * A synced model's writes are versioned (datastore_store.h, appsync-compat.md §4.4): a create
 * starts at "_version" 1, an update sets the input's fields plus "_version" + 1 and
 * "_lastChangedAt" = GG_PG_NOW_MS_SQL WHERE <key> AND <row rule> AND "_version" = input._version
 * AND the row is live AND <condition>, and a delete is the same UPDATE setting "_deleted" and
 * "_ttl" (a tombstone, returned like the deleted row). The metadata never comes from the input
 * (BadRequest; _version on a create is ignored). Each plan adds gg_pg_plan_put_change_log's
 * data-modifying CTE over the rows its write returned, so a change and its graphgate_changes row
 * commit together. A versioned write that returns no row may be a version conflict:
 * datastore_conflict.h reads the row and decides. */
#include "plan_sql.h"

#include <stdint.h>
#include <string.h>

#include "auth_input.h"
#include "datastore_store.h"

bool gg_pg_plan_is_mutation(gg_pg_op op)
{
    return op == GG_PG_OP_CREATE || op == GG_PG_OP_UPDATE || op == GG_PG_OP_DELETE;
}

static bool is_timestamp(const gg_amplify_model *m, const gg_amplify_field *f)
{
    return (m->created_at && strcmp(f->name, m->created_at) == 0) ||
           (m->updated_at && strcmp(f->name, m->updated_at) == 0);
}

static bool is_key_column(const gg_pg_model *pm, const gg_pg_column *c)
{
    for (unsigned i = 0; i < pm->key_count; i++)
        if (pm->key[i] == c) return true;
    return false;
}

static bool given(const gg_val *v)
{
    return v != NULL && v->kind != GG_VAL_UNDEFINED && v->kind != GG_VAL_NULL;
}

/* ---- versioned writes (DataStore: datastore_store.h, datastore_conflict.h) ---- */

/* The metadata a client may not write (appsync-compat.md §4.1); _version is the expected version. */
static const char *const server_written[] = {"_deleted", "_lastChangedAt", "_ttl"};

/* A synced model's metadata column: written by the server only, never from the input. */
static bool is_metadata(const gg_pg_model *pm, const gg_pg_column *c)
{
    return pm->version != NULL &&
           (c == pm->version || c == pm->deleted || c == pm->last_changed_at || c == pm->ttl ||
            (c->field != NULL && c->field->name[0] == '_' &&
             (strcmp(c->field->name, "_version") == 0 || strcmp(c->field->name, "_deleted") == 0 ||
              strcmp(c->field->name, "_lastChangedAt") == 0)));
}

/* BadRequest when the input of a versioned write sets what only the server writes (a schema that
 * declares the metadata fields itself puts them in its inputs). _version on a create is ignored:
 * a new row starts at 1 whatever the client last saw. */
static bool refuse_metadata(gg_pg_plan_builder *b, const gg_val *input)
{
    for (size_t i = 0; i < sizeof server_written / sizeof *server_written; i++) {
        const gg_val *v = gg_val_object_get(input, server_written[i]);
        if (v != NULL && v->kind != GG_VAL_UNDEFINED)
            return gg_pg_plan_fail(
                b, "BadRequest",
                gg_arena_printf(b->arena, "The input sets %s, which only the server writes.", server_written[i]));
    }
    return true;
}

/* Appends before, then alias.column, then after: a versioned write's pieces of SQL are written
 * with puts rather than printf (its format interpretation was a third of the extra work of a
 * versioned update in graphgate: callgrind, tests/bench/datastore.sh). */
static void put_qualified(gg_buf *out, const char *before, const char *alias, const char *column, const char *after)
{
    gg_buf_puts(out, before);
    gg_buf_puts(out, alias);
    gg_buf_putc(out, '.');
    gg_buf_puts(out, column);
    gg_buf_puts(out, after);
}

/* " AND (tK."_version" = $n AND tK."_deleted" IS NOT TRUE)": the version the client last saw
 * (input._version; 0, which no row has, when it sent none, as AppSync's resolvers do) on a live row. */
static void put_version_check(gg_pg_plan_builder *b, gg_buf *out, const char *talias, const gg_val *input)
{
    const gg_pg_model *pm = b->target->model;
    const gg_val *v = gg_val_object_get(input, "_version");
    int64_t expected = v != NULL && v->kind == GG_VAL_INT ? (int64_t)v->i : 0;
    put_qualified(out, " AND (", talias, pm->version->quoted, " = $");
    /* gg_pg_plan_put_parameter's "$n::integer" without its printf */
    gg_json_write_int(out, gg_sql_params_add(&b->params, gg_pg_plan_numbered(b->arena, "", expected)));
    put_qualified(out, "::integer AND ", talias, pm->deleted->quoted, " IS NOT TRUE)");
}

/* ", "_version" = tK."_version" + 1, "_lastChangedAt" = <now ms>": every versioned write's stamp. */
static void put_version_bump(gg_buf *out, const gg_pg_model *pm, const char *talias)
{
    gg_buf_puts(out, ", ");
    gg_buf_puts(out, pm->version->quoted);
    put_qualified(out, " = ", talias, pm->version->quoted, " + 1, ");
    gg_buf_puts(out, pm->last_changed_at->quoted);
    gg_buf_puts(out, " = " GG_PG_NOW_MS_SQL);
}

void gg_pg_plan_put_change_log(gg_pg_plan_builder *b, gg_buf *out, const char *source, gg_pg_plan_source_column column,
                               void *ctx)
{
    const gg_pg_model *pm = b->target->model;
    gg_buf_puts(out, ", \"gg@changes\" AS (INSERT INTO ");
    gg_buf_puts(out, gg_pg_changes_table(b->target->models));
    gg_buf_puts(out, " (model, changed_at, pk, version, deleted) SELECT ");
    gg_pg_quote_literal(out, pm->model->name);
    put_qualified(out, ", ", source, column(ctx, b->arena, pm->last_changed_at), ", ");
    if (pm->key_count == 1) { /* the key's text itself (datastore_store.h) */
        put_qualified(out, "", source, column(ctx, b->arena, pm->key[0]), "::text, ");
    } else { /* a composite key: its JSON text */
        gg_buf_puts(out, "jsonb_build_object(");
        for (unsigned i = 0; i < pm->key_count; i++) {
            gg_buf_puts(out, i ? ", " : "");
            gg_pg_quote_literal(out, pm->key[i]->field->name);
            put_qualified(out, ", ", source, column(ctx, b->arena, pm->key[i]), "::text");
        }
        gg_buf_puts(out, ")::text, ");
    }
    put_qualified(out, "", source, column(ctx, b->arena, pm->version), "");
    put_qualified(out, ", COALESCE(", source, column(ctx, b->arena, pm->deleted), ", false) FROM ");
    gg_buf_puts(out, source);
    gg_buf_putc(out, ')');
}

bool gg_pg_plan_is_versioned_write(const gg_pg_target *target)
{
    return target->model->version != NULL && gg_pg_plan_is_mutation(target->op);
}

/* The database clock as Amplify's createdAt/updatedAt, for column c: AppSync's text in a text
 * column; in a timestamptz column the same instant (milliseconds) without the text, whose
 * formatting and parsing back cost PostgreSQL ~9.5k instructions a write (callgrind, an update of
 * one row); any other type is cast from the text. */
static void put_now(gg_buf *out, const gg_pg_column *c)
{
    if (strcmp(c->sql_type, "text") == 0)
        gg_buf_puts(out, PLAN_NOW_SQL);
    else if (strcmp(c->sql_type, "timestamp with time zone") == 0)
        gg_buf_puts(out, "date_trunc('milliseconds', statement_timestamp())");
    else
        gg_buf_printf(out, "(" PLAN_NOW_SQL ")::%s", c->sql_type);
}

/* INSERT INTO T AS tK (cols) SELECT values WHERE <condition on no item> ON CONFLICT DO NOTHING */
static bool put_insert(gg_pg_plan_builder *b, gg_buf *out, const char *talias, const gg_val *input,
                       const gg_val *condition)
{
    const gg_pg_model *pm = b->target->model;
    const gg_amplify_model *m = pm->model;
    gg_buf names, values;
    gg_buf_init(&names);
    gg_buf_init(&values);
    unsigned n = 0;
    bool ok = true;
    for (unsigned i = 0; i < m->field_count && ok; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field == NULL || is_metadata(pm, c)) continue;
        const gg_amplify_field *f = c->field;
        const gg_val *v = gg_val_object_get(input, f->name);
        const char *sep = n ? ", " : "";
        if (f->read_only) { /* the database writes it (its input has no such field) */
            continue;
        } else if (given(v)) {
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_puts(&values, sep);
            ok = gg_pg_plan_put_value(b, &values, v, c);
        } else if (strcmp(f->name, "id") == 0 && strcmp(f->type_name, "ID") == 0 && c->kind == GG_COLUMN_TEXT &&
                   (!c->native || c->text_like || strcmp(c->sql_type, "uuid") == 0)) {
            /* an id the input leaves out is generated, key or not, as Amplify's create does (a column
             * of a number type keeps its own default: an identity or a sequence) */
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_printf(&values, "%sgen_random_uuid()::%s", sep, c->sql_type);
        } else if (is_timestamp(m, f) && c->kind == GG_COLUMN_TEXT) {
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_printf(&values, "%s", sep);
            put_now(&values, c);
        } else if (f->default_value != NULL) {
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_puts(&values, sep);
            gg_pg_plan_put_parameter(b, &values, f->default_value, c->sql_type);
        } else {
            continue;
        }
        n++;
    }
    if (pm->version != NULL) { /* a versioned row starts at version 1, stamped now */
        gg_buf_printf(&names, "%s%s, %s", n ? ", " : "", pm->version->quoted, pm->last_changed_at->quoted);
        gg_buf_printf(&values, "%s1, " GG_PG_NOW_MS_SQL, n ? ", " : "");
    }
    if (ok) {
        gg_buf_printf(out, "INSERT INTO %s AS %s (%s) SELECT %s WHERE TRUE", pm->quoted_table, talias,
                      names.data ? names.data : "", values.data ? values.data : "");
        ok = gg_pg_plan_put_filter(b, out, pm, NULL, condition, "Unrecognized Filter");
        gg_buf_puts(out, " ON CONFLICT DO NOTHING");
    }
    gg_buf_free(&names);
    gg_buf_free(&values);
    return ok;
}

/* " AND <condition>" of an update or delete. With a row rule (auth_input.h) the key-matched row
 * must also meet the rule: " AND CASE WHEN <rule> THEN TRUE AND <condition> ELSE <guard> END",
 * where the guard fails the statement, so a refused row is untouched and answered Unauthorized
 * while a missing row or a false condition still writes nothing and answers as before. The rule
 * is tested first (CASE fixes the order), as AppSync checks authorization before the condition. */
static bool put_write_condition(gg_pg_plan_builder *b, gg_buf *out, const char *talias, const gg_val *input,
                                const gg_val *condition, const char *row_rule)
{
    const gg_pg_model *pm = b->target->model;
    /* a versioned write: the version the client saw, checked after the rule and before the condition */
    if (row_rule == NULL) {
        if (pm->version != NULL) put_version_check(b, out, talias, input);
        return gg_pg_plan_put_filter(b, out, pm, talias, condition, "Unrecognized Filter");
    }
    gg_buf_printf(out, " AND CASE WHEN %s THEN TRUE", row_rule);
    if (pm->version != NULL) put_version_check(b, out, talias, input);
    if (!gg_pg_plan_put_filter(b, out, pm, talias, condition, "Unrecognized Filter")) return false;
    gg_buf_printf(out, " ELSE CAST('" GG_PG_AUTH_REFUSAL_MARK " ' || %s.%s::text AS integer) = 0 END", talias,
                  pm->key[0]->quoted);
    return true;
}

static bool put_update(gg_pg_plan_builder *b, gg_buf *out, const char *talias, const gg_val *input,
                       const gg_val *condition, const char *row_rule)
{
    const gg_pg_model *pm = b->target->model;
    const gg_amplify_model *m = pm->model;
    gg_buf_printf(out, "UPDATE %s AS %s SET ", pm->quoted_table, talias);
    unsigned n = 0;
    for (unsigned i = 0; i < m->field_count; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field == NULL || c->field->read_only || is_key_column(pm, c) || is_metadata(pm, c)) continue;
        const gg_val *v = gg_val_object_get(input, c->field->name);
        bool present = v != NULL && v->kind != GG_VAL_UNDEFINED;
        bool stamp = !given(v) && m->updated_at && strcmp(c->field->name, m->updated_at) == 0;
        if (!present && !stamp) continue;
        gg_buf_printf(out, "%s%s = ", n++ ? ", " : "", c->quoted);
        if (stamp)
            put_now(out, c);
        else if (!gg_pg_plan_put_value(b, out, v, c))
            return false;
    }
    if (n == 0) { /* nothing to change: still a write, so the condition and existence are checked; a
                   * column set to itself, one the database lets a write name (not a @readOnly one:
                   * an identity GENERATED ALWAYS or a generated column can only be set to DEFAULT) */
        const gg_pg_column *same = pm->key[0];
        for (unsigned i = 0; i < m->field_count && same->field->read_only; i++)
            if (pm->columns[i].field && !pm->columns[i].field->read_only && !pm->columns[i].expression &&
                !is_metadata(pm, &pm->columns[i]))
                same = &pm->columns[i];
        gg_buf_printf(out, "%s = %s.%s", same->quoted, talias, same->quoted);
    }
    if (pm->version != NULL) put_version_bump(out, pm, talias);
    gg_buf_puts(out, " WHERE TRUE");
    return gg_pg_plan_put_key_match(b, out, pm, talias, input) &&
           put_write_condition(b, out, talias, input, condition, row_rule);
}

static bool put_delete(gg_pg_plan_builder *b, gg_buf *out, const char *talias, const gg_val *input,
                       const gg_val *condition, const char *row_rule)
{
    const gg_pg_model *pm = b->target->model;
    if (pm->version != NULL) { /* a tombstone: the row stays, for syncX, until the purge */
        gg_buf_printf(out, "UPDATE %s AS %s SET %s = true, %s = " GG_PG_NOW_MS_SQL " / 1000 + %lld", pm->quoted_table,
                      talias, pm->deleted->quoted, pm->ttl->quoted, (long long)b->target->tombstone_ttl_s);
        put_version_bump(out, pm, talias);
        gg_buf_puts(out, " WHERE TRUE");
    } else {
        gg_buf_printf(out, "DELETE FROM %s AS %s WHERE TRUE", pm->quoted_table, talias);
    }
    return gg_pg_plan_put_key_match(b, out, pm, talias, input) &&
           put_write_condition(b, out, talias, input, condition, row_rule);
}

bool gg_pg_plan_put_write(gg_pg_plan_builder *b, gg_buf *out, const char *talias)
{
    const gg_val *input = gg_val_object_get(b->info->args, "input");
    const gg_val *condition = gg_val_object_get(b->info->args, "condition");
    if (input == NULL || input->kind != GG_VAL_OBJECT)
        return gg_pg_plan_fail(b, "InvalidArgumentsError", "input is required.");
    if (b->target->model->version != NULL && !refuse_metadata(b, input)) return false;
    const char *row_rule = NULL;
    if (b->identity != NULL && !gg_pg_auth_check_write(b, b->identity, talias, &input, &row_rule)) return false;
    switch (b->target->op) {
    case GG_PG_OP_CREATE:
        return put_insert(b, out, talias, input, condition);
    case GG_PG_OP_UPDATE:
        return put_update(b, out, talias, input, condition, row_rule);
    case GG_PG_OP_DELETE:
        return put_delete(b, out, talias, input, condition, row_rule);
    default:
        return gg_pg_plan_fail(b, "InternalFailure", "The request cannot be planned.");
    }
}
