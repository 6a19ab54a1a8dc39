/* Tests server/base/log.c: level filter, text and JSON lines, escaping, truncation, the access
 * record, and whole lines from concurrent threads. Output goes to a temporary file that each
 * test reads back, as an operator reading the log would. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "test.h"

static char output[1 << 22];
static int output_fd = -1;

/* Starts capturing both outputs into an empty temporary file, with the given settings. */
static void capture(gg_log_level level, gg_log_format format)
{
    if (output_fd >= 0) close(output_fd);
    char path[] = "/tmp/gg-log-test-XXXXXX";
    output_fd = mkstemp(path);
    if (output_fd < 0) abort();
    unlink(path);
    fcntl(output_fd, F_SETFL, O_APPEND);
    gg_log_configure(level, format);
    gg_log_set_outputs(output_fd, output_fd);
}

/* What was written since capture(), NUL-terminated. */
static const char *captured(void)
{
    off_t size = lseek(output_fd, 0, SEEK_END);
    if (size < 0 || (size_t)size >= sizeof output) abort();
    ssize_t n = pread(output_fd, output, (size_t)size, 0);
    output[n < 0 ? 0 : n] = '\0';
    return output;
}

/* The captured text with the time value of every line replaced by T (it changes every run). */
static const char *captured_without_time(void)
{
    static char copy[sizeof output];
    const char *in = captured();
    size_t out = 0;
    const char *key = "{\"time\":\"";
    while (*in) {
        if (strncmp(in, key, strlen(key)) == 0) {
            memcpy(copy + out, "{\"time\":\"T\"", 11);
            out += 11;
            in = strchr(in + strlen(key), '"') + 1;
            continue;
        }
        copy[out++] = *in++;
    }
    copy[out] = '\0';
    return copy;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void test_levels_filter(void)
{
    capture(GG_LOG_WARN, GG_LOG_TEXT);
    gg_log_debug("debug line");
    gg_log_info("info line");
    gg_log_warn("warning: warn line");
    gg_log_error("error line %d", 7);
    CHECK_STR(captured(), "graphgate: warning: warn line\ngraphgate: error line 7\n");
    CHECK(!gg_log_enabled(GG_LOG_INFO));
    CHECK(gg_log_enabled(GG_LOG_ERROR));

    capture(GG_LOG_DEBUG, GG_LOG_TEXT);
    gg_log_debug("debug line");
    gg_log_info("info line");
    CHECK_STR(captured(), "graphgate: debug line\ngraphgate: info line\n");

    capture(GG_LOG_ERROR, GG_LOG_JSON);
    gg_log_warn("dropped");
    gg_log_error("kept");
    CHECK_STR(captured_without_time(), "{\"time\":\"T\",\"level\":\"error\",\"msg\":\"kept\"}\n");
}

static void test_parse(void)
{
    gg_log_level level = GG_LOG_ERROR;
    CHECK(gg_log_level_parse("debug", &level) && level == GG_LOG_DEBUG);
    CHECK(gg_log_level_parse("info", &level) && level == GG_LOG_INFO);
    CHECK(gg_log_level_parse("warn", &level) && level == GG_LOG_WARN);
    CHECK(gg_log_level_parse("error", &level) && level == GG_LOG_ERROR);
    CHECK(!gg_log_level_parse("warning", &level));
    CHECK(!gg_log_level_parse("INFO", &level));
    CHECK(!gg_log_level_parse("", &level));
    gg_log_format format = GG_LOG_JSON;
    CHECK(gg_log_format_parse("text", &format) && format == GG_LOG_TEXT);
    CHECK(gg_log_format_parse("json", &format) && format == GG_LOG_JSON);
    CHECK(!gg_log_format_parse("JSON", &format));
    CHECK(!gg_log_format_parse("logfmt", &format));
}

static void test_text_shape(void)
{
    capture(GG_LOG_INFO, GG_LOG_TEXT);
    gg_log_field fields[] = {GG_LOG_STRING("url", "http://127.0.0.1:8080/graphql")};
    gg_log_fields(GG_LOG_INFO, fields, 1, "listening on %s", "http://127.0.0.1:8080/graphql");
    gg_log_info("postgres: %s: %s", "Query.listTodos", "boom \"quoted\"");
    CHECK_STR(captured(), "graphgate: listening on http://127.0.0.1:8080/graphql\n"
                          "graphgate: postgres: Query.listTodos: boom \"quoted\"\n");
}

static void test_json_shape(void)
{
    capture(GG_LOG_INFO, GG_LOG_JSON);
    gg_log_field fields[] = {GG_LOG_STRING("url", "http://127.0.0.1:8080/graphql"), GG_LOG_INTEGER("thread", 3),
                             GG_LOG_DECIMAL("duration_ms", 1.25), GG_LOG_STRING("missing", NULL)};
    gg_log_fields(GG_LOG_WARN, fields, GG_LOG_FIELD_COUNT(fields), "listening on %s", "x");
    CHECK_STR(captured_without_time(),
              "{\"time\":\"T\",\"level\":\"warn\",\"msg\":\"listening on x\",\"url\":\"http://127.0.0.1:8080/graphql\","
              "\"thread\":3,\"duration_ms\":1.250,\"missing\":\"\"}\n");
    /* the time: RFC 3339, UTC, milliseconds */
    const char *t = captured() + strlen("{\"time\":\"");
    CHECK(strlen(t) > 24);
    CHECK(is_digit(t[0]) && is_digit(t[3]) && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' &&
          t[16] == ':' && t[19] == '.' && is_digit(t[20]) && is_digit(t[22]) && t[23] == 'Z' && t[24] == '"');
}

static void test_json_escaping(void)
{
    capture(GG_LOG_INFO, GG_LOG_JSON);
    gg_log_field fields[] = {GG_LOG_STRING_N("detail", "a\0b\x7f", 4)};
    gg_log_fields(GG_LOG_ERROR, fields, 1, "say \"hi\"\\ now\nnext\tline\r\b\f\x01\x1f é€😀");
    CHECK_STR(
        captured_without_time(),
        "{\"time\":\"T\",\"level\":\"error\",\"msg\":\"say \\\"hi\\\"\\\\ now\\nnext\\tline\\r\\b\\f\\u0001\\u001f "
        "é€😀\",\"detail\":\"a\\u0000b\x7f\"}\n");
    /* one line only: the newline of the message is escaped */
    const char *text = captured();
    CHECK(strchr(text, '\n') == text + strlen(text) - 1);
}

static void test_text_truncation(void)
{
    capture(GG_LOG_INFO, GG_LOG_TEXT);
    static char big[3 * GG_LOG_LINE_MAX];
    memset(big, 'x', sizeof big - 1);
    gg_log_info("sql: %s", big);
    const char *text = captured();
    size_t len = strlen(text);
    CHECK(len <= GG_LOG_LINE_MAX);
    CHECK(len > GG_LOG_LINE_MAX - 64);
    CHECK(strncmp(text, "graphgate: sql: xxx", 19) == 0);
    CHECK(len > 16 && strcmp(text + len - 16, "... [truncated]\n") == 0);
    CHECK(strchr(text, '\n') == text + len - 1);

    /* a cut never splits a UTF-8 character */
    capture(GG_LOG_INFO, GG_LOG_TEXT);
    static char wide[3 * GG_LOG_LINE_MAX];
    for (size_t i = 0; i + 3 < sizeof wide; i += 3)
        memcpy(wide + i, "€", 3);
    for (int shift = 0; shift < 3; shift++) {
        capture(GG_LOG_INFO, GG_LOG_TEXT);
        gg_log_info("%.*s%s", shift, "ab", wide);
        text = captured();
        len = strlen(text);
        size_t body = len - 16 - strlen("graphgate: ") - (size_t)shift;
        CHECK(body % 3 == 0);
        CHECK(strcmp(text + len - 16, "... [truncated]\n") == 0);
    }
}

/* True when line (without its newline) ends a JSON object with "truncated":true. */
static bool ends_truncated(const char *line)
{
    size_t len = strlen(line);
    const char *marker = ",\"truncated\":true}\n";
    return len > strlen(marker) && strcmp(line + len - strlen(marker), marker) == 0;
}

static void test_json_truncation(void)
{
    static char big[3 * GG_LOG_LINE_MAX];
    memset(big, '"', sizeof big - 1); /* every byte doubles when escaped */
    capture(GG_LOG_INFO, GG_LOG_JSON);
    gg_log_info("%s", big);
    const char *text = captured();
    size_t len = strlen(text);
    CHECK(len <= GG_LOG_LINE_MAX);
    CHECK(ends_truncated(text));
    /* the string is closed after a whole escape: \" pairs, then the closing quote */
    const char *msg = strstr(text, "\"msg\":\"") + 7;
    const char *end = text + len - strlen(",\"truncated\":true}\n") - 1;
    CHECK(*end == '"');
    CHECK((end - msg) % 2 == 0);

    /* a field that does not fit is left out whole, and the line stays one object */
    capture(GG_LOG_INFO, GG_LOG_JSON);
    memset(big, 'y', sizeof big - 1);
    gg_log_field fields[] = {GG_LOG_INTEGER("before", 1), GG_LOG_STRING_N("detail", big, GG_LOG_LINE_MAX),
                             GG_LOG_INTEGER("after", 2)};
    gg_log_fields(GG_LOG_INFO, fields, GG_LOG_FIELD_COUNT(fields), "short");
    text = captured();
    CHECK(strlen(text) <= GG_LOG_LINE_MAX);
    CHECK(strstr(text, "\"msg\":\"short\",\"before\":1,\"detail\":\"yyy") != NULL);
    CHECK(strstr(text, "\"after\"") == NULL);
    CHECK(ends_truncated(text));
    CHECK(strstr(text, "yyy\",\"truncated\":true}\n") != NULL);
}

static void test_access_record(void)
{
    gg_log_field fields[] = {GG_LOG_STRING("method", "GET"),      GG_LOG_STRING("path", "/graphql"),
                             GG_LOG_STRING("protocol", "HTTP/2"), GG_LOG_INTEGER("status", 200),
                             GG_LOG_DECIMAL("duration_ms", 0.5),  GG_LOG_INTEGER("bytes", 17)};
    /* text: the JSON record the access log always wrote, whatever the level */
    capture(GG_LOG_ERROR, GG_LOG_TEXT);
    gg_log_access(fields, GG_LOG_FIELD_COUNT(fields));
    CHECK_STR(captured_without_time(),
              "{\"time\":\"T\",\"method\":\"GET\",\"path\":\"/graphql\",\"protocol\":\"HTTP/2\","
              "\"status\":200,\"duration_ms\":0.500,\"bytes\":17}\n");
    /* json: the same record with a level and a message like every other line */
    capture(GG_LOG_INFO, GG_LOG_JSON);
    gg_log_access(fields, GG_LOG_FIELD_COUNT(fields));
    CHECK_STR(captured_without_time(),
              "{\"time\":\"T\",\"level\":\"info\",\"msg\":\"request\",\"method\":\"GET\",\"path\":\"/graphql\","
              "\"protocol\":\"HTTP/2\",\"status\":200,\"duration_ms\":0.500,\"bytes\":17}\n");
}

#define WRITERS 8
#define LINES_PER_WRITER 200

static void *write_lines(void *arg)
{
    int writer = (int)(intptr_t)arg;
    char padding[3000];
    for (int i = 0; i < LINES_PER_WRITER; i++) {
        size_t pad = (size_t)((writer * 131 + i * 17) % (int)sizeof padding);
        memset(padding, 'a' + writer, pad);
        padding[pad] = '\0';
        gg_log_field fields[] = {GG_LOG_INTEGER("writer", writer), GG_LOG_INTEGER("line", i),
                                 GG_LOG_INTEGER("pad", (long long)pad)};
        gg_log_fields(GG_LOG_INFO, fields, 3, "w%d l%d %s", writer, i, padding);
    }
    return NULL;
}

/* Checks that one captured line is a whole line of write_lines: its padding has the announced
 * length and is made only of its writer's letter. Returns the writer, or -1. */
static int check_whole_line(const char *line, size_t len, int *number)
{
    int writer = -1, index = -1;
    int consumed = 0;
    const char *msg = strstr(line, "\"msg\":\"w");
    if (msg == NULL || msg > line + len || sscanf(msg, "\"msg\":\"w%d l%d %n", &writer, &index, &consumed) != 2)
        return -1;
    const char *pad = msg + consumed;
    size_t pad_len = strspn(pad, "abcdefgh");
    char expected_tail[96];
    snprintf(expected_tail, sizeof expected_tail, "\",\"writer\":%d,\"line\":%d,\"pad\":%zu}", writer, index, pad_len);
    if (writer < 0 || writer >= WRITERS || pad + pad_len + strlen(expected_tail) != line + len ||
        strncmp(pad + pad_len, expected_tail, strlen(expected_tail)) != 0)
        return -1;
    for (size_t i = 0; i < pad_len; i++)
        if (pad[i] != 'a' + writer) return -1;
    *number = index;
    return writer;
}

static void test_concurrent_writers(void)
{
    capture(GG_LOG_INFO, GG_LOG_JSON);
    pthread_t threads[WRITERS];
    for (int i = 0; i < WRITERS; i++)
        pthread_create(&threads[i], NULL, write_lines, (void *)(intptr_t)i);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(threads[i], NULL);
    static char copy[sizeof output];
    strcpy(copy, captured());
    int next[WRITERS] = {0};
    int lines = 0, bad = 0;
    for (char *line = copy; *line;) {
        char *newline = strchr(line, '\n');
        if (newline == NULL) {
            bad++;
            break;
        }
        int number = -1;
        int writer = check_whole_line(line, (size_t)(newline - line), &number);
        if (writer < 0 || number != next[writer])
            bad++;
        else
            next[writer]++;
        lines++;
        line = newline + 1;
    }
    CHECK_INT(lines, WRITERS * LINES_PER_WRITER);
    CHECK_INT(bad, 0);
    for (int i = 0; i < WRITERS; i++)
        CHECK_INT(next[i], LINES_PER_WRITER);
}

int main(void)
{
    RUN(test_levels_filter);
    RUN(test_parse);
    RUN(test_text_shape);
    RUN(test_json_shape);
    RUN(test_json_escaping);
    RUN(test_text_truncation);
    RUN(test_json_truncation);
    RUN(test_access_record);
    RUN(test_concurrent_writers);
    close(output_fd);
    return test_summary();
}
