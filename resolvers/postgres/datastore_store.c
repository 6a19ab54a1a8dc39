/* datastore_store.c: the DataStore metadata columns of a synced model and the change log's name;
 * see datastore_store.h for the storage layout. */
#include "datastore_store.h"

#include <string.h>

const char *gg_pg_changes_table(const gg_pg_models *models)
{
    (void)models; /* the models' tables are unqualified (search_path): the log is beside them */
    return "\"" GG_PG_CHANGES_TABLE_NAME "\"";
}

bool gg_pg_models_synced(const gg_pg_models *models)
{
    for (unsigned i = 0; models && i < models->count; i++)
        if (models->models[i].model->sync) return true;
    return false;
}

void gg_pg_datastore_columns(gg_arena *arena, gg_pg_model *pm)
{
    pm->version = gg_pg_model_column(pm, "_version");
    pm->deleted = gg_pg_model_column(pm, "_deleted");
    pm->last_changed_at = gg_pg_model_column(pm, "_lastChangedAt");
    /* "_ttl" is storage only: a column with a field of its own that no GraphQL type has */
    gg_amplify_field *field = gg_arena_alloc(arena, sizeof *field);
    *field = (gg_amplify_field){.name = "_ttl",
                                .column = "_ttl",
                                .type_name = "AWSTimestamp",
                                .type_sdl = "AWSTimestamp",
                                .kind = GG_AMPLIFY_FIELD_SCALAR,
                                .generated = true,
                                .loc = pm->model->loc};
    gg_pg_column *ttl = gg_arena_alloc(arena, sizeof *ttl);
    *ttl = (gg_pg_column){.field = field,
                          .quoted = "\"_ttl\"",
                          .sql_type = "bigint",
                          .storage_type = "bigint",
                          .input = GG_PG_INPUT_ANY,
                          .output = GG_PG_OUTPUT_AS_IS,
                          .kind = GG_COLUMN_INT,
                          .item_kind = GG_COLUMN_INT};
    pm->ttl = ttl;
}
