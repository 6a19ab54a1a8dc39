/* log.c: the one logger; see log.h.
 *
 * A line is assembled in a fixed buffer on the caller's stack and handed to one write(2): no lock,
 * no allocation, and lines never interleave (a write of at most PIPE_BUF bytes to a pipe is
 * atomic; to a file opened with O_APPEND each write lands whole). The buffer keeps LINE_RESERVE
 * bytes free at its end, so a line that does not fit can always be closed properly: the text
 * format appends "... [truncated]", the JSON format closes the open string and adds
 * "truncated":true, so the line stays one valid JSON object. Appends to a JSON line are
 * all-or-nothing per unit (a key with its value's start, one escape sequence, one UTF-8
 * character, one number), which is what keeps a cut line valid JSON and valid UTF-8.
 *
 * Strings are escaped by the JSON writer's rule (buf.h: ", \, \b \f \n \r \t, other control
 * characters as \u00XX, everything else copied), so an access-log line reads as it always did.
 * The settings are atomics: set once at start-up, read by every thread without a lock. */
#include "log.h"

#include "buf.h"
#include "trace.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define LINE_RESERVE 32
#define TEXT_PREFIX "graphgate: "
#define TEXT_MARKER "... [truncated]\n"
#define JSON_MARKER ",\"truncated\":true}\n"

static _Atomic int configured_level = GG_LOG_INFO;
static _Atomic int configured_format = GG_LOG_TEXT;
static _Atomic int diagnostics_output = STDERR_FILENO;
static _Atomic int access_output = STDOUT_FILENO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

typedef struct log_line {
    char data[GG_LOG_LINE_MAX];
    size_t len;
    bool cut;       /* something did not fit: nothing more is appended */
    bool in_string; /* a JSON string is open (closed before the marker) */
} log_line;

static void line_init(log_line *line)
{
    line->len = 0;
    line->cut = false;
    line->in_string = false;
}

/* The room left for content: LINE_RESERVE stays free for the ending. */
static size_t line_room(const log_line *line)
{
    return GG_LOG_LINE_MAX - LINE_RESERVE - line->len;
}

/* Appends n bytes whole, or marks the line cut. */
static bool line_append(log_line *line, const char *bytes, size_t n)
{
    if (line->cut || n > line_room(line)) {
        line->cut = true;
        return false;
    }
    memcpy(line->data + line->len, bytes, n);
    line->len += n;
    return true;
}

static bool line_puts(log_line *line, const char *s)
{
    return line_append(line, s, strlen(s));
}

/* Appends the characters of a JSON string (without quotes) one escape or UTF-8 character at a time. */
static void line_append_escaped(log_line *line, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && !line->cut) {
        size_t run = i; /* plain ASCII goes in one piece: any cut in it is a character boundary */
        while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x80 && s[run] != '"' &&
               s[run] != '\\')
            run++;
        if (run > i) {
            size_t n = run - i < line_room(line) ? run - i : line_room(line);
            memcpy(line->data + line->len, s + i, n);
            line->len += n;
            i += n;
            line->cut = i < run;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (n > len - i) n = len - i;
            line_append(line, s + i, n);
            i += n;
            continue;
        }
        char escape[6];
        size_t n = gg_json_escape_byte(c, escape);
        line_append(line, escape, n);
        i++;
    }
}

/* Appends before, key and after in one piece, or marks the line cut. */
static bool line_append_key(log_line *line, const char *before, const char *key, const char *after)
{
    size_t before_len = strlen(before), key_len = strlen(key), after_len = strlen(after);
    if (line->cut || before_len + key_len + after_len > line_room(line)) {
        line->cut = true;
        return false;
    }
    char *out = line->data + line->len;
    memcpy(out, before, before_len);
    memcpy(out + before_len, key, key_len);
    memcpy(out + before_len + key_len, after, after_len);
    line->len += before_len + key_len + after_len;
    return true;
}

/* Appends ,"key":"value" (or {"key": first): the key and the opening quote go together. */
static void line_append_string_field(log_line *line, bool first, const char *key, const char *s, size_t len)
{
    if (!line_append_key(line, first ? "{\"" : ",\"", key, "\":\"")) return;
    line->in_string = true;
    line_append_escaped(line, s, len);
    if (line_append(line, "\"", 1)) line->in_string = false;
}

static void line_append_field(log_line *line, const gg_log_field *field)
{
    char number[48];
    int n;
    switch (field->kind) {
    case GG_LOG_FIELD_STRING:
        line_append_string_field(line, false, field->key, field->string ? field->string : "", field->length);
        return;
    case GG_LOG_FIELD_INTEGER:
        n = snprintf(number, sizeof number, "%lld", field->integer);
        break;
    case GG_LOG_FIELD_DECIMAL:
        n = isfinite(field->decimal) ? snprintf(number, sizeof number, "%.3f", field->decimal)
                                     : snprintf(number, sizeof number, "null");
        break;
    default:
        return;
    }
    /* the key and its number go in one piece (a cut line never ends with a key); a decimal too
     * large to print cuts the line */
    if (n <= 0 || (size_t)n >= sizeof number || strlen(field->key) + (size_t)n + 4 > line_room(line)) {
        line->cut = true;
        return;
    }
    line_append_key(line, ",\"", field->key, "\":");
    line_append(line, number, (size_t)n);
}

/* Starts a JSON line with {"time":"2026-12-06T13:52:15.123Z". */
static void line_start_json(log_line *line)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    char seconds[32], time_text[64];
    strftime(seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(time_text, sizeof time_text, "%s.%03dZ", seconds, (int)(now.tv_nsec / 1000000));
    line_append_string_field(line, true, "time", time_text, strlen(time_text));
}

/* Closes a JSON line (with the truncation marker when cut); the reserve always has room. */
static void line_end_json(log_line *line)
{
    if (!line->cut) {
        memcpy(line->data + line->len, "}\n", 2);
        line->len += 2;
        return;
    }
    if (line->in_string) line->data[line->len++] = '"';
    memcpy(line->data + line->len, JSON_MARKER, strlen(JSON_MARKER));
    line->len += strlen(JSON_MARKER);
}

/* The end of the last whole UTF-8 character in data[start, len): a cut must not split one. */
static size_t utf8_whole_end(const char *data, size_t start, size_t len)
{
    size_t lead = len;
    for (size_t back = 0; back < 4 && lead > start; back++) {
        unsigned char c = (unsigned char)data[lead - 1];
        lead--;
        if ((c & 0xC0) != 0x80) {
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return len - lead >= need ? len : lead;
        }
    }
    return len;
}

static void write_line(int fd, const log_line *line)
{
    size_t done = 0;
    while (done < line->len) {
        ssize_t n = write(fd, line->data + done, line->len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return; /* a full or closed output must not stop the server */
        done += (size_t)n;
    }
}

size_t gg_log_strlen(const char *s)
{
    return s ? strlen(s) : 0;
}

bool gg_log_level_parse(const char *name, gg_log_level *level)
{
    for (int i = GG_LOG_DEBUG; i <= GG_LOG_ERROR; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *level = (gg_log_level)i;
            return true;
        }
    }
    return false;
}

bool gg_log_format_parse(const char *name, gg_log_format *format)
{
    if (strcmp(name, "text") == 0)
        *format = GG_LOG_TEXT;
    else if (strcmp(name, "json") == 0)
        *format = GG_LOG_JSON;
    else
        return false;
    return true;
}

void gg_log_configure(gg_log_level level, gg_log_format format)
{
    atomic_store_explicit(&configured_level, (int)level, memory_order_relaxed);
    atomic_store_explicit(&configured_format, (int)format, memory_order_relaxed);
}

static struct timespec startup_began; /* written once, before any thread starts */

void gg_log_startup_begin(void)
{
    clock_gettime(CLOCK_MONOTONIC, &startup_began);
}

void gg_log_startup_step(const char *format, ...)
{
    if (!gg_log_enabled(GG_LOG_DEBUG)) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - startup_began.tv_sec) * 1e3 + (double)(now.tv_nsec - startup_began.tv_nsec) / 1e6;
    struct timespec cpu; /* every thread's, since exec: what the load of the machine does not stretch */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    double cpu_ms = (double)cpu.tv_sec * 1e3 + (double)cpu.tv_nsec / 1e6;
    struct rusage usage; /* page faults: each costs microseconds, and what the load does not change */
    long faults = getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_minflt + usage.ru_majflt : -1;
    char step[256];
    va_list args;
    va_start(args, format);
    vsnprintf(step, sizeof step, format, args);
    va_end(args);
    gg_log_field fields[] = {GG_LOG_DECIMAL("startup_ms", ms), GG_LOG_DECIMAL("cpu_ms", cpu_ms),
                             GG_LOG_INTEGER("page_faults", faults)};
    gg_log_fields(GG_LOG_DEBUG, fields, GG_LOG_FIELD_COUNT(fields),
                  "start-up: %s at %.1f ms (CPU %.1f ms, %ld page faults)", step, ms, cpu_ms, faults);
}

void gg_log_set_outputs(int diagnostics_fd, int access_fd)
{
    atomic_store_explicit(&diagnostics_output, diagnostics_fd, memory_order_relaxed);
    atomic_store_explicit(&access_output, access_fd, memory_order_relaxed);
}

bool gg_log_enabled(gg_log_level level)
{
    return (int)level >= atomic_load_explicit(&configured_level, memory_order_relaxed);
}

void gg_log_fields(gg_log_level level, const gg_log_field *fields, size_t field_count, const char *format, ...)
{
    if (!gg_log_enabled(level) || level < GG_LOG_DEBUG || level > GG_LOG_ERROR) return;
    const gg_trace *trace = gg_trace_current(); /* the request whose work logs this line (trace.h) */
    log_line line;                              /* not zeroed: only data[0, len) is ever read */
    line_init(&line);
    va_list args;
    va_start(args, format);
    if (atomic_load_explicit(&configured_format, memory_order_relaxed) == GG_LOG_TEXT) {
        line_puts(&line, TEXT_PREFIX);
        size_t room = line_room(&line);
        int n = vsnprintf(line.data + line.len, room + 1, format, args);
        if (n < 0) n = 0;
        if ((size_t)n > room) {
            line.len = utf8_whole_end(line.data, line.len, line.len + room);
            memcpy(line.data + line.len, TEXT_MARKER, strlen(TEXT_MARKER));
            line.len += strlen(TEXT_MARKER);
        } else {
            line.len += (size_t)n;
            if (trace != NULL) {
                line_puts(&line, " trace_id=");
                line_puts(&line, trace->trace_id);
            }
            line.data[line.len++] = '\n'; /* the reserve has room for it */
        }
    } else {
        char message[GG_LOG_LINE_MAX];
        int n = vsnprintf(message, sizeof message, format, args);
        size_t message_len = n < 0 ? 0 : (size_t)n < sizeof message ? (size_t)n : sizeof message - 1;
        line_start_json(&line);
        line_append_string_field(&line, false, "level", level_names[level], strlen(level_names[level]));
        line_append_string_field(&line, false, "msg", message, utf8_whole_end(message, 0, message_len));
        if (n >= 0 && (size_t)n >= sizeof message) line.cut = true;
        for (size_t i = 0; i < field_count; i++)
            line_append_field(&line, &fields[i]);
        if (trace != NULL) line_append_string_field(&line, false, "trace_id", trace->trace_id, GG_TRACE_ID_HEX);
        line_end_json(&line);
    }
    va_end(args);
    write_line(atomic_load_explicit(&diagnostics_output, memory_order_relaxed), &line);
}

void gg_log_access(const gg_log_field *fields, size_t field_count)
{
    log_line line; /* not zeroed: only data[0, len) is ever read */
    line_init(&line);
    line_start_json(&line);
    if (atomic_load_explicit(&configured_format, memory_order_relaxed) == GG_LOG_JSON) {
        line_append_string_field(&line, false, "level", "info", 4);
        line_append_string_field(&line, false, "msg", "request", 7);
    }
    for (size_t i = 0; i < field_count; i++)
        line_append_field(&line, &fields[i]);
    line_end_json(&line);
    write_line(atomic_load_explicit(&access_output, memory_order_relaxed), &line);
}
