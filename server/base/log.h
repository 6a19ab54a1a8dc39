/* log.h: the one logger: diagnostics on stderr and the access log on stdout, as text or JSON lines.
 *
 * Every module logs through here instead of writing to stderr itself. A line has a level (debug,
 * info, warn, error); lines below the configured level are dropped. The text format writes
 * "graphgate: " and the message, exactly as the server always wrote its lines. The JSON format
 * writes one object per line: time (RFC 3339, UTC, milliseconds), level, msg, then the
 * structured fields the call site gave. The access log has its own switch (access_log) and is not
 * filtered by level; in the text format its line is the JSON record it always was. A line logged
 * while a request's work runs (base/trace.h) ends with that request's trace id: the field
 * trace_id in JSON, " trace_id=<32 hex digits>" in text.
 *
 * Each line is built in a stack buffer of GG_LOG_LINE_MAX bytes (PIPE_BUF) and written with one
 * write(2), so lines from different threads never interleave and no lock or allocation is
 * involved; a longer line is cut and ends with a marker. gg_log_configure is called once, before
 * threads start; until then the defaults (info, text) apply. */
#ifndef GG_LOG_H
#define GG_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest line written, newline included (PIPE_BUF: one write to a pipe is never split). */
#define GG_LOG_LINE_MAX 4096

typedef enum gg_log_level { GG_LOG_DEBUG, GG_LOG_INFO, GG_LOG_WARN, GG_LOG_ERROR } gg_log_level;
typedef enum gg_log_format { GG_LOG_TEXT, GG_LOG_JSON } gg_log_format;

typedef enum gg_log_field_kind {
    GG_LOG_FIELD_STRING,  /* a JSON string */
    GG_LOG_FIELD_INTEGER, /* a JSON integer */
    GG_LOG_FIELD_DECIMAL, /* a JSON number with three decimals (durations in milliseconds) */
} gg_log_field_kind;

/* One structured field of a JSON line (the text format shows only the message). */
typedef struct gg_log_field {
    const char *key; /* written as is: a plain identifier */
    gg_log_field_kind kind;
    const char *string; /* GG_LOG_FIELD_STRING: UTF-8 text, length bytes */
    size_t length;
    long long integer;
    double decimal;
} gg_log_field;

#define GG_LOG_STRING_N(k, s, n) ((gg_log_field){.key = (k), .kind = GG_LOG_FIELD_STRING, .string = (s), .length = (n)})
#define GG_LOG_STRING(k, s) GG_LOG_STRING_N(k, s, gg_log_strlen(s))
#define GG_LOG_INTEGER(k, v) ((gg_log_field){.key = (k), .kind = GG_LOG_FIELD_INTEGER, .integer = (long long)(v)})
#define GG_LOG_DECIMAL(k, v) ((gg_log_field){.key = (k), .kind = GG_LOG_FIELD_DECIMAL, .decimal = (double)(v)})
#define GG_LOG_FIELD_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The length of s, 0 for NULL (a missing string field is written as ""). */
size_t gg_log_strlen(const char *s);

/* Reads "debug", "info", "warn" or "error"; false for anything else. */
bool gg_log_level_parse(const char *name, gg_log_level *level);
/* Reads "text" or "json"; false for anything else. */
bool gg_log_format_parse(const char *name, gg_log_format *format);
/* Sets the level and the format; call before threads start. */
void gg_log_configure(gg_log_level level, gg_log_format format);
/* Sends diagnostics to diagnostics_fd (default 2) and the access log to access_fd (default 1). */
void gg_log_set_outputs(int diagnostics_fd, int access_fd);
/* True when lines of this level are written (to skip building costly messages). */
bool gg_log_enabled(gg_log_level level);

/* Writes one line at level: the formatted message, with fields in the JSON format. */
void gg_log_fields(gg_log_level level, const gg_log_field *fields, size_t field_count, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
/* Writes one line at level without structured fields. */
#define gg_log(level, ...) gg_log_fields((level), NULL, 0, __VA_ARGS__)
#define gg_log_debug(...) gg_log(GG_LOG_DEBUG, __VA_ARGS__)
#define gg_log_info(...) gg_log(GG_LOG_INFO, __VA_ARGS__)
#define gg_log_warn(...) gg_log(GG_LOG_WARN, __VA_ARGS__)
#define gg_log_error(...) gg_log(GG_LOG_ERROR, __VA_ARGS__)

/* Start-up steps at debug level, each with the milliseconds since gg_log_startup_begin (main's
 * first line) and the process's CPU time: "start-up: STEP at N.N ms (CPU N.N ms)" (fields
 * startup_ms and cpu_ms in JSON), the breakdown
 * tests/bench/startup.sh prints. Begin before threads start; steps may come from any thread. */
void gg_log_startup_begin(void);
void gg_log_startup_step(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Writes one access-log record (time plus fields) to the access output, whatever the level. */
void gg_log_access(const gg_log_field *fields, size_t field_count);

#endif
