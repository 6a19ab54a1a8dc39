/* pipeline.c: pipeline resolvers, as AppSync has them: a field answered by an ordered list of steps
 * that share a stash, each seeing the previous step's result; the last step's result is the field's
 * value, and an error in any step ends the pipeline with that error at the field.
 *
 * Configured in the resolvers map (plugins/README.md):
 *     "Mutation.publish": {"pipeline": [
 *         {"plugin": "pipeline", "resolver": "prepare"},
 *         {"sql": "INSERT INTO post (slug) VALUES (:stash.slug) RETURNING id", "result": "row"},
 *         {"model": "Post", "get": {"id": "prev.id"}},
 *         {"plugin": "pipeline", "resolver": "finish"}]}
 * Steps: a plugin resolver (synchronous, asynchronous or blocking: a call of its own, reading the
 * stash and the previous result through plugin.h); a SQL statement whose :placeholders name
 * values: :x or :args.x (an argument), :prev or :prev.a.b (the previous result), :stash.k,
 * :source.x (the parent object), :identity.sub and the other identity values of @sql fields; its
 * result is "row" (the first row, null without one: the default), "rows" (a list) or "value" (the
 * first column of the first row); and a @model get: the row of a model by its primary key, each
 * key field given by one of those references, its result the row with the model's field names and
 * AppSync's value formats (null when no row has that key). A built-in step reads the table as the
 * pipeline's field allows, not through the model's @auth rules: the field's own authorization
 * (@aws_* directives) guards it, as a pipeline's data source does on AppSync.
 *
 * Everything about a pipeline is checked at start-up (steps, plugins, resolvers, placeholders, model
 * keys); a run lives in the request arena and moves from step to step on the loop thread: a
 * synchronous step continues at once (a pipeline has at most GG_PLUGIN_PIPELINE_MAX_STEPS steps, so the
 * recursion is bounded), an asynchronous one from its callback. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "execute/values.h"
#include "pg_model.h"
#include "plugin_internal.h"
#include "postgres.h"
#include "sql_directive.h"

typedef enum step_kind { STEP_PLUGIN, STEP_SQL, STEP_MODEL_GET } step_kind;
typedef enum step_result { RESULT_ROW, RESULT_ROWS, RESULT_VALUE } step_result;

typedef struct pipeline_step {
    step_kind kind;
    const gg_plugin_resolver *resolver; /* STEP_PLUGIN */
    gg_sql_compiled stmt;               /* STEP_SQL, STEP_MODEL_GET: parameters named by references */
    const gg_pg_column **key_columns;   /* STEP_MODEL_GET: the column of each parameter (its check and cast) */
    step_result result;
    const char *where; /* "Mutation.publish step 2" */
} pipeline_step;

typedef struct pipeline {
    pipeline_step *steps;
    unsigned count;
} pipeline;

typedef struct pipeline_run {
    gg_resolve_info *info;
    const pipeline *pipeline;
    unsigned step;
    gg_val *stash;
    gg_val *previous;
} pipeline_run;

static void resolve_pipeline(gg_resolve_info *info);

bool gg_plugins_is_pipeline(const gg_field *field)
{
    return field->resolve == resolve_pipeline;
}

/* ---- references: args.x, prev.x, stash.x, source.x, identity.x ---- */

/* Whether reference (without ':') can name a value of field; the reason in fault otherwise. */
static bool check_reference(const gg_field *field, const char *reference, const char *where, gg_fault *fault)
{
    if (strncmp(reference, "identity.", 9) == 0) {
        if (gg_sql_identity_known(reference)) return true;
        return gg_fault_set(fault, NULL,
                            "%s: unknown :%s (the identity has sub, username, groups, claims.<name>, sourceIp and "
                            "issuer)",
                            where, reference);
    }
    if (strcmp(reference, "prev") == 0 || strncmp(reference, "prev.", 5) == 0 || strncmp(reference, "stash.", 6) == 0 ||
        strncmp(reference, "source.", 7) == 0)
        return true;
    const char *argument = strncmp(reference, "args.", 5) == 0 ? reference + 5 : reference;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(argument, "."), argument);
    if (gg_field_find_arg(field, name) != NULL) return true;
    return gg_fault_set(fault, NULL,
                        "%s: :%s names no argument of the field (write :args.x, :prev.x, :stash.x, :source.x or "
                        ":identity.x)",
                        where, reference);
}

/* The member path "a.b.c" of value, or NULL. */
static const gg_val *follow(const gg_val *value, const char *path, gg_arena *arena)
{
    while (value != NULL && *path) {
        size_t n = strcspn(path, ".");
        value = gg_val_object_get(value, gg_arena_strndup(arena, path, n));
        path += n;
        if (*path == '.') path++;
    }
    return value;
}

/* The value reference names in run (NULL: null); identity references are texts (see param_of). */
static const gg_val *value_of(const pipeline_run *run, const char *reference)
{
    gg_arena *arena = run->info->arena;
    if (strcmp(reference, "prev") == 0) return run->previous;
    if (strncmp(reference, "prev.", 5) == 0) return follow(run->previous, reference + 5, arena);
    if (strncmp(reference, "stash.", 6) == 0) return follow(run->stash, reference + 6, arena);
    if (strncmp(reference, "source.", 7) == 0) return follow(run->info->source, reference + 7, arena);
    return follow(run->info->args, strncmp(reference, "args.", 5) == 0 ? reference + 5 : reference, arena);
}

/* ---- binding ---- */

static const char *const step_keys = "plugin and resolver, sql (and result), or model and get";

static bool bind_plugin_step(const gg_plugins *set, const cJSON *step, pipeline_step *out, gg_fault *fault)
{
    const cJSON *plugin = cJSON_GetObjectItemCaseSensitive(step, "plugin");
    const cJSON *resolver = cJSON_GetObjectItemCaseSensitive(step, "resolver");
    if (!cJSON_IsString(plugin) || !cJSON_IsString(resolver))
        return gg_fault_set(fault, NULL, "%s: expected {\"plugin\": \"name\", \"resolver\": \"name\"}", out->where);
    out->kind = STEP_PLUGIN;
    out->resolver = gg_plugins_find_resolver(set, plugin->valuestring, resolver->valuestring, out->where, fault);
    return out->resolver != NULL;
}

static bool bind_sql_step(gg_schema *schema, const gg_field *field, const cJSON *step, pipeline_step *out,
                          gg_fault *fault)
{
    const cJSON *sql = cJSON_GetObjectItemCaseSensitive(step, "sql");
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(step, "result");
    if (!cJSON_IsString(sql)) return gg_fault_set(fault, NULL, "%s: \"sql\" must be a statement (text)", out->where);
    out->kind = STEP_SQL;
    out->result = RESULT_ROW;
    if (result != NULL) {
        const char *r = cJSON_IsString(result) ? result->valuestring : "";
        if (strcmp(r, "rows") == 0)
            out->result = RESULT_ROWS;
        else if (strcmp(r, "value") == 0)
            out->result = RESULT_VALUE;
        else if (strcmp(r, "row") != 0)
            return gg_fault_set(fault, NULL, "%s: \"result\" is \"row\", \"rows\" or \"value\"", out->where);
    }
    char why[256];
    if (!gg_sql_compile_paths(&schema->arena, sql->valuestring, &out->stmt, GG_FAULT_INTO(why)))
        return gg_fault_set(fault, NULL, "%s: %s", out->where, why);
    for (unsigned i = 0; i < out->stmt.param_count; i++)
        if (!check_reference(field, out->stmt.param_names[i], out->where, fault)) return false;
    return true;
}

/* The @model get: SELECT every stored column, in AppSync's formats, by the whole primary key. */
static bool bind_model_step(gg_schema *schema, const gg_amplify_catalog *catalog, const gg_pg_models **models,
                            const gg_field *field, const cJSON *step, pipeline_step *out, gg_fault *fault)
{
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(step, "model");
    const cJSON *get = cJSON_GetObjectItemCaseSensitive(step, "get");
    if (!cJSON_IsString(model) || !cJSON_IsObject(get))
        return gg_fault_set(fault, NULL, "%s: expected {\"model\": \"Type\", \"get\": {\"keyField\": \"args.id\"}}",
                            out->where);
    if (catalog == NULL || catalog->model_count == 0)
        return gg_fault_set(fault, NULL, "%s: the schema has no @model types", out->where);
    gg_arena *arena = &schema->arena;
    if (*models == NULL) *models = gg_pg_models_build(arena, catalog);
    const gg_pg_model *pm = gg_pg_models_find(*models, model->valuestring);
    if (pm == NULL) return gg_fault_set(fault, NULL, "%s: no @model type named %s", out->where, model->valuestring);
    out->kind = STEP_MODEL_GET;
    out->result = RESULT_ROW;
    out->stmt.param_count = pm->key_count;
    out->stmt.param_names = gg_arena_array(arena, pm->key_count ? pm->key_count : 1, sizeof *out->stmt.param_names);
    out->key_columns = gg_arena_array(arena, pm->key_count ? pm->key_count : 1, sizeof *out->key_columns);
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_puts(&sql, "SELECT ");
    bool first = true;
    for (unsigned i = 0; i < pm->model->field_count; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field == NULL || c->expression != NULL) continue;
        gg_buf_printf(&sql, "%s%s AS %s", first ? "" : ", ",
                      gg_pg_column_output(arena, c, gg_arena_printf(arena, "t.%s", c->quoted)), c->quoted);
        first = false;
    }
    gg_buf_printf(&sql, " FROM %s t WHERE ", pm->quoted_table);
    unsigned given = 0;
    for (unsigned k = 0; k < pm->key_count; k++) {
        const gg_pg_column *c = pm->key[k];
        const cJSON *reference = cJSON_GetObjectItemCaseSensitive(get, c->field->name);
        if (!cJSON_IsString(reference)) {
            gg_buf_free(&sql);
            return gg_fault_set(fault, NULL, "%s: \"get\" needs the key field %s (a reference such as \"args.%s\")",
                                out->where, c->field->name, c->field->name);
        }
        const char *name = reference->valuestring[0] == ':' ? reference->valuestring + 1 : reference->valuestring;
        if (!check_reference(field, name, out->where, fault)) {
            gg_buf_free(&sql);
            return false;
        }
        out->stmt.param_names[k] = gg_arena_strdup(arena, name);
        out->key_columns[k] = c;
        gg_buf_printf(&sql, "%st.%s = $%u::%s", k ? " AND " : "", c->quoted, k + 1, c->sql_type);
        given++;
    }
    if (given != (unsigned)cJSON_GetArraySize(get)) {
        gg_buf_free(&sql);
        return gg_fault_set(fault, NULL, "%s: \"get\" names fields that are not the primary key of %s", out->where,
                            model->valuestring);
    }
    out->stmt.sql = gg_arena_strndup(arena, sql.data, sql.len);
    gg_buf_free(&sql);
    return true;
}

bool gg_plugins_bind_pipeline(const gg_plugins *set, gg_schema *schema, const gg_amplify_catalog *catalog,
                              gg_field *field, const cJSON *entry, const char *where, gg_fault *fault)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(entry, "pipeline");
    const cJSON *member;
    cJSON_ArrayForEach(member, entry)
    {
        if (member->string[0] != '$' && member->string[0] != '_' && strcmp(member->string, "pipeline") != 0)
            return gg_fault_set(fault, NULL, "%s.%s: unknown key (a pipeline entry has only \"pipeline\")", where,
                                member->string);
    }
    int count = cJSON_GetArraySize(steps);
    if (!cJSON_IsArray(steps) || count == 0 || count > GG_PLUGIN_PIPELINE_MAX_STEPS)
        return gg_fault_set(fault, NULL, "%s.pipeline: expected a list of 1 to %d steps", where,
                            GG_PLUGIN_PIPELINE_MAX_STEPS);
    gg_arena *arena = &schema->arena;
    pipeline *p = gg_arena_alloc(arena, sizeof *p);
    p->steps = gg_arena_array(arena, (size_t)count, sizeof *p->steps);
    const gg_pg_models *models = NULL;
    const cJSON *step;
    cJSON_ArrayForEach(step, steps)
    {
        pipeline_step *out = &p->steps[p->count];
        out->where = gg_arena_printf(arena, "%s.pipeline[%u]", where, p->count);
        if (!cJSON_IsObject(step))
            return gg_fault_set(fault, NULL, "%s: expected an object (%s)", out->where, step_keys);
        bool ok;
        if (cJSON_GetObjectItemCaseSensitive(step, "plugin") != NULL)
            ok = bind_plugin_step(set, step, out, fault);
        else if (cJSON_GetObjectItemCaseSensitive(step, "sql") != NULL)
            ok = bind_sql_step(schema, field, step, out, fault);
        else if (cJSON_GetObjectItemCaseSensitive(step, "model") != NULL)
            ok = bind_model_step(schema, catalog, &models, field, step, out, fault);
        else
            ok = gg_fault_set(fault, NULL, "%s: a step is %s", out->where, step_keys);
        if (!ok) return false;
        p->count++;
    }
    field->resolve = resolve_pipeline;
    field->resolve_data = p;
    return true;
}

/* ---- running ---- */

static void run_step(pipeline_run *run);

/* A step ended: the next one runs with its result, or the pipeline ends with its error. */
static void step_done(pipeline_run *run, gg_val *value, bool failed, const char *error_type, const char *message)
{
    if (failed) {
        gg_resolve_error(run->info, error_type, "%s", message ? message : "");
        return;
    }
    run->previous = value != NULL ? value : &gg_val_null_value;
    run->step++;
    run_step(run);
}

static void on_plugin_step(gg_plugin_call *call, gg_val *value, bool failed, const char *error_type,
                           const char *message)
{
    step_done(call->finish_data, value, failed, error_type, message);
}

static void on_step_rows(void *user, gg_val *rows, const gg_fault *failure)
{
    pipeline_run *run = user;
    if (rows == NULL) {
        step_done(run, NULL, true, failure->error_type ? failure->error_type : "DatabaseError",
                  failure->message ? failure->message : "The statement failed.");
        return;
    }
    const pipeline_step *step = &run->pipeline->steps[run->step];
    gg_val *first = rows->count > 0 ? rows->items[0] : NULL;
    gg_val *value = step->result == RESULT_ROWS ? rows : first;
    if (step->result == RESULT_VALUE) value = first != NULL && first->count > 0 ? first->members[0].value : NULL;
    step_done(run, value, false, NULL, NULL);
}

/* Sends the step's statement with its references bound as text parameters. */
static void run_statement(pipeline_run *run, const pipeline_step *step)
{
    gg_arena *arena = run->info->arena;
    const gg_pg_request *request = run->info->context;
    unsigned n = step->stmt.param_count;
    const char **values = gg_arena_array(arena, n ? n : 1, sizeof *values);
    for (unsigned i = 0; i < n; i++) {
        const char *name = step->stmt.param_names[i];
        if (strncmp(name, "identity.", 9) == 0) {
            values[i] = gg_sql_identity_text(arena, request, name);
        } else if (step->kind == STEP_MODEL_GET) {
            if (!gg_pg_param_text(arena, value_of(run, name), step->key_columns[i], &values[i])) {
                step_done(run, NULL, true, "InvalidArgumentsError",
                          gg_arena_printf(arena, "The value of %s does not fit the key field %s.", name,
                                          step->key_columns[i]->field->name));
                return;
            }
        } else {
            values[i] = gg_sql_param_text(arena, value_of(run, name));
        }
    }
    gg_pg_query_rows(request, arena, step->where, step->stmt.sql, n, values, on_step_rows, run);
}

static void run_step(pipeline_run *run)
{
    if (run->step == run->pipeline->count) {
        gg_resolve_return(run->info, run->previous);
        return;
    }
    const pipeline_step *step = &run->pipeline->steps[run->step];
    if (step->kind != STEP_PLUGIN) {
        run_statement(run, step);
        return;
    }
    gg_plugin_call *call = gg_arena_alloc(run->info->arena, sizeof *call);
    *call = (gg_plugin_call){.info = run->info,
                             .resolver = step->resolver,
                             .stash = run->stash,
                             .previous = run->previous,
                             .finish = on_plugin_step,
                             .finish_data = run};
    gg_plugins_invoke(call);
}

static void resolve_pipeline(gg_resolve_info *info)
{
    pipeline_run *run = gg_arena_alloc(info->arena, sizeof *run);
    *run = (pipeline_run){.info = info,
                          .pipeline = info->field->resolve_data,
                          .stash = gg_val_object(info->arena, 4),
                          .previous = &gg_val_null_value};
    run_step(run);
}
