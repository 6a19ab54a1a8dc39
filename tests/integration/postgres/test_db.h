/* test_db.h: the blocking libpq connection of the PostgreSQL tests that need no server or pool: to
 * GRAPHGATE_TEST_DATABASE_URL (scripts/test.sh starts that PostgreSQL), and set-up statements on it. */
#ifndef GG_TEST_DB_H
#define GG_TEST_DB_H

#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>

/* The connection, or NULL (why printed) when GRAPHGATE_TEST_DATABASE_URL is unset or unreachable. */
static inline PGconn *test_db_connect(void)
{
    const char *url = getenv("GRAPHGATE_TEST_DATABASE_URL");
    if (url == NULL) {
        fprintf(stderr, "needs GRAPHGATE_TEST_DATABASE_URL (scripts/test.sh sets it)\n");
        return NULL;
    }
    PGconn *conn = PQconnectdb(url);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "cannot connect: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

/* Runs a set-up statement; a failure is printed (the checks that follow then fail). */
static inline void test_db_exec(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "setup failed: %s: %s\n", sql, PQerrorMessage(conn));
    PQclear(r);
}

#endif
