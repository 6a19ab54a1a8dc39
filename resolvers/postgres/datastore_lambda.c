/* datastore_lambda.c: the LAMBDA conflict handler hook (datastore_conflict.h).
 *
 * This is the stub the versioned writes link against until the plugin ABI carries conflict
 * handlers (ds-lambda replaces this body): every LAMBDA conflict answers ConflictError, so a model
 * configured for LAMBDA never resolves a conflict silently. */
#include "datastore_conflict.h"

void gg_pg_conflict_lambda(gg_pg_conflict *conflict)
{
    conflict->done(conflict, GG_PG_CONFLICT_FAILED, NULL, "no LAMBDA conflict handler is wired");
}
