/* init_command.c: `graphgate init --from-database URL [--schema NAME] [--tables a,b] [--out DIR]
 * [--force]`; see init.h.
 *
 * Reads the catalog (introspect.h), writes DIR/schema.graphql (generate_sdl.c) and
 * DIR/graphgate.json, and the two secrets the configuration names: DIR/api-keys (a random API
 * key: the configuration starts in API_KEY mode, never open) and DIR/cursor.secret (signs
 * nextToken values; without it graphgate would create its graphgate_meta table in the database,
 * which init promises to leave as it is). The database URL is never written: the configuration
 * says to set GRAPHGATE_DATABASE_URL or database_url_file. A schema other than public is written as
 * database.schema, which qualifies every table graphgate names (no search_path in the URL, which
 * PgBouncer in transaction mode refuses). schema.graphql and graphgate.json are
 * not overwritten without --force (checked before anything is written); DIR is made when it does not
 * exist (one level, once the database has been read); existing secret files are
 * kept, so clients keep their key. Secrets are created 0600. The decisions of the generator
 * (names mapped, tables skipped ...) go to stderr. Exit status: 0 written, 1 database error,
 * 2 usage error, existing files, or nothing to serve. */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

static void usage(FILE *out)
{
    fprintf(out, "Usage: graphgate init --from-database URL [--schema NAME] [--tables a,b] [--out DIR] [--force]\n"
                 "\n"
                 "Writes an Amplify schema and a configuration that serve an existing PostgreSQL database as it is\n"
                 "(no graphgate migrate): DIR/schema.graphql (a @model type per table or view, @refersTo for the\n"
                 "table and column names, @primaryKey, @index, @hasMany/@belongsTo from foreign keys, enums),\n"
                 "DIR/graphgate.json, and two secrets it names: DIR/api-keys (a random API key; requests send it as\n"
                 "x-api-key) and DIR/cursor.secret (signs nextToken values). Then: GRAPHGATE_DATABASE_URL=URL\n"
                 "graphgate -c DIR/graphgate.json. The URL is not written into any file.\n"
                 "\n"
                 "  --from-database URL  the database to read (a postgresql:// URL or key=value pairs)\n"
                 "  --schema NAME        the PostgreSQL schema whose tables and views are read (default: public;\n"
                 "                       another one is written as database.schema into graphgate.json: every\n"
                 "                       statement names it, the URL needs no search_path)\n"
                 "  --tables a,b         only these tables and views (default: all of the schema)\n"
                 "  --out DIR            where the files go (default: the current directory; made when missing)\n"
                 "  --force              overwrite DIR/schema.graphql and DIR/graphgate.json when they exist\n"
                 "                       (without it init refuses); existing api-keys and cursor.secret are kept\n"
                 "Views are served read-only (list queries only). Tables without a primary key are keyed by a\n"
                 "unique index over NOT NULL columns, else skipped. Every decision (a name mapped, a table or\n"
                 "column left out) is reported on stderr.\n"
                 "Exit status: 0 written, 1 database error, 2 usage error, existing files, or nothing to serve.\n");
}

static void json_string(gg_buf *b, const char *s)
{
    gg_json_write_string(b, s, strlen(s));
}

static void write_config(gg_buf *b, const char *database, const char *schema)
{
    gg_buf comment;
    gg_buf_init(&comment);
    gg_buf_printf(&comment,
                  "Written by graphgate init --from-database for schema %s of database %s. Serve it with "
                  "GRAPHGATE_DATABASE_URL=<the database URL> graphgate -c graphgate.json: the tables are served as "
                  "they are, graphgate migrate is not needed. The database URL is a secret and is never written "
                  "here: set GRAPHGATE_DATABASE_URL, or add \"database_url_file\": \"<a file holding it>\".",
                  schema, database);
    if (strcmp(schema, "public") != 0)
        gg_buf_printf(&comment,
                      " The tables are in schema %s: database.schema names it in every statement, so the URL needs "
                      "no search_path (and may go through a transaction pooler such as PgBouncer).",
                      schema);
    gg_buf_puts(b, "{\n  \"$comment\": ");
    json_string(b, comment.data);
    gg_buf_free(&comment);
    gg_buf_puts(b, ",\n  \"listen\": \"127.0.0.1:8080\",\n  \"schema\": [\"schema.graphql\"],\n");
    if (strcmp(schema, "public") != 0) {
        gg_buf_puts(b, "  \"database\": {\n    \"schema\": ");
        json_string(b, schema);
        gg_buf_puts(b, "\n  },\n");
    }
    gg_buf_puts(b, "  \"cursor_secret_file\": \"cursor.secret\",\n  \"auth\": {\n    \"$comment\": ");
    json_string(b, "Requests send x-api-key with a key of api-keys (made by init, readable by its owner only; one "
                   "key per line, key@2027-01-31T00:00:00Z for an expiry). The schema's @auth rules are "
                   "{allow: public}: any valid API key reads and writes every table. For JWTs set default_mode to "
                   "OPENID_CONNECT or AMAZON_COGNITO_USER_POOLS and change the @auth rules of schema.graphql.");
    gg_buf_puts(b, ",\n    \"default_mode\": \"API_KEY\",\n    \"api_keys_file\": \"api-keys\"\n  }\n}\n");
}

static const char *path_in(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
    return out;
}

/* Writes len bytes to path: a new file only (exclusive), or replacing one when replace. */
static bool write_file(const char *path, const char *data, size_t len, bool replace, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | (replace ? O_TRUNC : O_EXCL), mode);
    if (fd < 0) {
        fprintf(stderr, "graphgate init: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            fprintf(stderr, "graphgate init: cannot write %s: %s\n", path, strerror(errno));
            close(fd);
            return false;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) {
        fprintf(stderr, "graphgate init: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

/* A new secret file with prefix and 32 random bytes in hex, unless path exists (kept). */
static bool write_secret(const char *path, const char *prefix, const char *what)
{
    if (access(path, F_OK) == 0) {
        fprintf(stderr, "graphgate init: %s exists: kept as the %s\n", path, what);
        return true;
    }
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) {
        fprintf(stderr, "graphgate init: no random bytes for the %s\n", what);
        return false;
    }
    char text[128];
    size_t n = (size_t)snprintf(text, sizeof text, "%s", prefix);
    for (size_t i = 0; i < sizeof random; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%02x", random[i]);
    text[n++] = '\n';
    return write_file(path, text, n, false, 0600);
}

/* Splits "a,b" into names (empty items ignored); the strings point into list (modified). */
static unsigned split_tables(char *list, const char **names, unsigned max)
{
    unsigned count = 0;
    for (char *save = NULL, *item = strtok_r(list, ",", &save); item != NULL && count < max;
         item = strtok_r(NULL, ",", &save))
        if (item[0] != '\0') names[count++] = item;
    return count;
}

enum { MAX_TABLES = 1000 };

int gg_init_command(int argc, char **argv)
{
    const char *url = NULL, *schema = "public", *out_dir = ".";
    char *tables_text = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **value = !strcmp(a, "--from-database") ? &url
                             : !strcmp(a, "--schema")      ? &schema
                             : !strcmp(a, "--out")         ? &out_dir
                                                           : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--force")) {
            force = true;
        } else if (!strcmp(a, "--tables") && i + 1 < argc) {
            tables_text = argv[++i];
        } else if (value != NULL && i + 1 < argc) {
            *value = argv[++i];
        } else {
            fprintf(stderr, "graphgate init: unknown option or missing value: %s (see graphgate init --help)\n", a);
            return 2;
        }
    }
    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "graphgate init: --from-database URL is required (see graphgate init --help)\n");
        return 2;
    }
    const char *tables[MAX_TABLES];
    unsigned table_count = tables_text ? split_tables(tables_text, tables, MAX_TABLES) : 0;
    if (tables_text != NULL && table_count == 0) {
        fprintf(stderr, "graphgate init: --tables names no table\n");
        return 2;
    }
    char schema_path[4096], config_path[4096], keys_path[4096], secret_path[4096];
    path_in(schema_path, sizeof schema_path, out_dir, "schema.graphql");
    path_in(config_path, sizeof config_path, out_dir, "graphgate.json");
    path_in(keys_path, sizeof keys_path, out_dir, "api-keys");
    path_in(secret_path, sizeof secret_path, out_dir, "cursor.secret");
    struct stat st;
    int found = stat(out_dir, &st);
    bool make_dir = found != 0 && errno == ENOENT; /* made once the database has been read */
    if (!make_dir && (found != 0 || !S_ISDIR(st.st_mode))) {
        fprintf(stderr, "graphgate init: --out %s is not a directory\n", out_dir);
        return 2;
    }
    if (!force && (access(schema_path, F_OK) == 0 || access(config_path, F_OK) == 0)) {
        fprintf(stderr, "graphgate init: %s exists: not overwritten (--force replaces it)\n",
                access(schema_path, F_OK) == 0 ? schema_path : config_path);
        return 2;
    }

    char reason[1024], database[256] = "";
    gg_arena arena;
    gg_arena_init(&arena);
    gg_pg_db_schema db;
    bool database_error = false;
    if (!gg_pg_introspect_database(url, schema, tables, table_count, &arena, &db, database, sizeof database,
                                   &database_error, GG_FAULT_INTO(reason))) {
        fprintf(stderr, "graphgate init: %s\n", reason);
        gg_arena_free(&arena);
        return database_error ? 1 : 2;
    }
    gg_buf sdl, notes, config;
    gg_buf_init(&sdl);
    gg_buf_init(&notes);
    gg_buf_init(&config);
    unsigned models = gg_init_generate_sdl(&db, schema, table_count > 0, &sdl, &notes);
    if (notes.len) {
        for (const char *p = notes.data; *p;) {
            size_t n = strcspn(p, "\n");
            fprintf(stderr, "graphgate init: %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
    int status = 0;
    if (models == 0) {
        fprintf(stderr, "graphgate init: nothing to serve: no table or view of schema %s could be a model\n", schema);
        status = 2;
    } else {
        write_config(&config, database, schema);
        if (make_dir && mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "graphgate init: cannot create --out %s: %s\n", out_dir, strerror(errno));
            status = 2;
        }
        bool ok = status == 0 && write_file(schema_path, sdl.data, sdl.len, force, 0644) &&
                  write_file(config_path, config.data, config.len, force, 0644) &&
                  write_secret(keys_path, "gg-", "API key") && write_secret(secret_path, "", "cursor secret");
        if (ok)
            fprintf(stderr,
                    "graphgate init: wrote %s (%u model%s) and %s; serve with GRAPHGATE_DATABASE_URL=<url> graphgate "
                    "-c %s\n",
                    schema_path, models, models == 1 ? "" : "s", config_path, config_path);
        status = ok ? 0 : 2;
    }
    gg_buf_free(&sdl);
    gg_buf_free(&notes);
    gg_buf_free(&config);
    gg_arena_free(&arena);
    return status;
}
