/* pg_failure.c: the SQLSTATE -> errorType table; see pg_failure.h.
 *
 * A row applies to one SQLSTATE, either to every statement or only to deleting / non-deleting
 * ones; the first row that applies wins. Rows marked logged are also written to stderr (the
 * expected outcomes of a write, such as a violated uniqueness, are not). */
#include "pg_failure.h"

#include <string.h>

#include "base/log.h"

typedef enum { APPLIES_ALWAYS, APPLIES_DELETING, APPLIES_NOT_DELETING } applies_to;

typedef struct sqlstate_row {
    const char *sqlstate;
    applies_to applies;
    bool logged;
    gg_fault failure;
} sqlstate_row;

static const sqlstate_row table[] = {
    {"23505",
     APPLIES_ALWAYS,
     false,
     {.error_type = GG_PG_CONDITION_FAILED, .message = "The conditional request failed"}},
    /* ON DELETE RESTRICT: rows of another table still refer to a deleted one */
    {"23503",
     APPLIES_DELETING,
     false,
     {.error_type = "ReferentialIntegrityViolation",
      .message = "Other items refer to this item; delete or change them first."}},
    /* a foreign key of the written row has no target */
    {"23503",
     APPLIES_NOT_DELETING,
     false,
     {.error_type = "InvalidArgumentsError", .message = "A related item the input refers to does not exist."}},
    /* the database refuses graphgate's role: a row level security policy refuses the written row
     * (a table graphgate did not make, init --from-database), or a privilege is missing (logged) */
    {"42501",
     APPLIES_ALWAYS,
     true,
     {.error_type = "Unauthorized",
      .message = "The database refuses this to graphgate's role (a row level security policy or a missing "
                 "privilege)."}},
    {"57014", APPLIES_ALWAYS, true, {.error_type = "DatabaseError", .message = "The database request timed out."}},
    /* the database's own rules for a written value, which a table graphgate did not make has more
     * of than the schema says (init --from-database): the client's value is refused, not the
     * database broken. A NOT NULL column with a default is an optional field, and null its value. */
    {"23502",
     APPLIES_ALWAYS,
     false,
     {.error_type = "InvalidArgumentsError", .message = "A field the database requires a value for is null."}},
    {"23514",
     APPLIES_ALWAYS,
     false,
     {.error_type = "InvalidArgumentsError", .message = "A value breaks a check constraint of the database."}},
    {"22001",
     APPLIES_ALWAYS,
     false,
     {.error_type = "InvalidArgumentsError", .message = "A value is longer than its column holds."}},
    /* a value for a GENERATED ALWAYS column (identity or computed), which init serves as a field */
    {"428C9",
     APPLIES_ALWAYS,
     false,
     {.error_type = "InvalidArgumentsError", .message = "A field the database computes itself cannot be set."}},
    /* these can also come from a computation of an @sql statement: logged as well. 22007 and
     * 22015 are the text of a type graphgate does not check itself (interval, served as a String)
     * that PostgreSQL does not read, 22008 a date or time out of its field's range */
    {"22003",
     APPLIES_ALWAYS,
     true,
     {.error_type = "InvalidArgumentsError", .message = "A number is out of the range its column holds."}},
    {"22P02",
     APPLIES_ALWAYS,
     true,
     {.error_type = "InvalidArgumentsError", .message = "A value is not one its column's type accepts."}},
    {"22007",
     APPLIES_ALWAYS,
     true,
     {.error_type = "InvalidArgumentsError", .message = "A value is not one its column's type accepts."}},
    {"22008",
     APPLIES_ALWAYS,
     true,
     {.error_type = "InvalidArgumentsError", .message = "A value is not one its column's type accepts."}},
    {"22015",
     APPLIES_ALWAYS,
     true,
     {.error_type = "InvalidArgumentsError", .message = "A value is not one its column's type accepts."}},
};

static const gg_fault unavailable = {.error_type = "ServiceUnavailable", .message = "The database is unavailable."};
static const gg_fault cancelled = {.error_type = "ExecutionTimeout", .message = "The request was cancelled."};
static const gg_fault other = {.error_type = "DatabaseError", .message = "The database request failed."};

gg_fault gg_pg_failure_of(gg_pg_pool *pool, gg_pg_status status, const PGresult *result, const char *where,
                          bool deleting)
{
    if (status == GG_PG_UNAVAILABLE || status == GG_PG_LOST) return unavailable;
    if (status == GG_PG_CANCELLED) return cancelled; /* the request is gone or past its deadline: nobody reads this */
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : NULL;
    const sqlstate_row *row = NULL;
    for (size_t i = 0; state != NULL && row == NULL && i < sizeof table / sizeof table[0]; i++) {
        const sqlstate_row *r = &table[i];
        bool applies = r->applies == APPLIES_ALWAYS || (r->applies == APPLIES_DELETING) == deleting;
        if (applies && strcmp(r->sqlstate, state) == 0) row = r;
    }
    if (row != NULL && !row->logged) return row->failure;
    const char *message = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (message == NULL) /* the statement could not be prepared: the pool keeps that error */
        message = gg_pg_pool_last_error(pool);
    gg_log_field fields[] = {GG_LOG_STRING("field", where), GG_LOG_STRING("sqlstate", state ? state : "-"),
                             GG_LOG_STRING("error", message)};
    gg_log_fields(GG_LOG_ERROR, fields, 3, "postgres: %s: %s: %s", where, state ? state : "-", message);
    gg_fault fault = row != NULL ? row->failure : other;
    fault.detail = message; /* lives as long as result or the pool's error: copy before either goes */
    return fault;
}
