/* error.c: error list building and JSON serialisation; see error.h. */
#include "error.h"

#include <string.h>

void gg_error_list_init(gg_error_list *list, gg_arena *arena)
{
    list->arena = arena;
    list->head = list->tail = NULL;
    list->count = 0;
}

static void error_list_append(gg_error_list *list, gg_error *e)
{
    if (list->tail)
        list->tail->next = e;
    else
        list->head = e;
    list->tail = e;
    list->count++;
}

static gg_path *path_copy(gg_arena *arena, const gg_path *path)
{
    gg_path *copy = NULL, **link = &copy;
    for (const gg_path *p = path; p != NULL; p = p->prev) {
        gg_path *n = gg_arena_alloc(arena, sizeof *n);
        n->key = p->key ? gg_arena_strdup(arena, p->key) : NULL;
        n->index = p->index;
        *link = n;
        link = (gg_path **)&n->prev;
    }
    return copy;
}

gg_error *gg_error_of_fault(gg_arena *arena, const gg_fault *fault, const gg_path *path)
{
    gg_error *e = gg_arena_alloc(arena, sizeof *e);
    e->message = gg_arena_strdup(arena, fault->message ? fault->message : "");
    e->error_type = fault->error_type ? gg_arena_strdup(arena, fault->error_type) : NULL;
    e->detail = fault->detail ? gg_arena_strdup(arena, fault->detail) : NULL;
    e->path = path_copy(arena, path);
    return e;
}

gg_error *gg_error_add_fault(gg_error_list *list, const gg_fault *fault, const gg_path *path)
{
    gg_error *e = gg_error_of_fault(list->arena, fault, path);
    error_list_append(list, e);
    return e;
}

gg_error *gg_error_addv(gg_error_list *list, const char *fmt, va_list ap)
{
    gg_error *e = gg_arena_alloc(list->arena, sizeof *e);
    e->message = gg_arena_vprintf(list->arena, fmt, ap);
    error_list_append(list, e);
    return e;
}

gg_error *gg_error_add(gg_error_list *list, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gg_error *e = gg_error_addv(list, fmt, ap);
    va_end(ap);
    return e;
}

gg_error *gg_error_at(gg_error_list *list, gg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gg_error *e = gg_error_addv(list, fmt, ap);
    va_end(ap);
    gg_error_add_location(list, e, loc);
    return e;
}

void gg_error_add_location(gg_error_list *list, gg_error *error, gg_loc loc)
{
    /* The capacity is implicit: the array is grown to twice its size whenever the count reaches a
     * power of two, so adding n locations costs O(n) (input-cycle errors can carry thousands). */
    unsigned n = error->location_count;
    if ((n & (n - 1)) == 0)
        error->locations = gg_arena_grow(list->arena, error->locations, n, n ? 2 * (size_t)n : 1, sizeof(gg_loc));
    error->locations[error->location_count++] = loc;
}

void gg_error_set_path(gg_error_list *list, gg_error *error, const gg_path *path)
{
    error->path = path_copy(list->arena, path);
}

static void gg_path_write_json(gg_buf *out, const gg_path *path)
{
    if (path == NULL) return;
    gg_path_write_json(out, path->prev);
    if (path->prev != NULL) gg_buf_putc(out, ',');
    if (path->key != NULL)
        gg_json_write_string(out, path->key, strlen(path->key));
    else
        gg_json_write_int(out, path->index);
}

void gg_error_write_json(gg_buf *out, const gg_error *error)
{
    gg_buf_puts(out, "{\"message\":");
    gg_json_write_string(out, error->message, strlen(error->message));
    if (error->location_count > 0) {
        gg_buf_puts(out, ",\"locations\":[");
        for (unsigned i = 0; i < error->location_count; i++)
            gg_buf_printf(out, "%s{\"line\":%u,\"column\":%u}", i ? "," : "", error->locations[i].line,
                          error->locations[i].column);
        gg_buf_putc(out, ']');
    }
    if (error->path != NULL) {
        gg_buf_puts(out, ",\"path\":[");
        gg_path_write_json(out, error->path);
        gg_buf_putc(out, ']');
    }
    if (error->error_type != NULL) {
        gg_buf_puts(out, ",\"errorType\":");
        gg_json_write_string(out, error->error_type, strlen(error->error_type));
    }
    if (error->error_info != NULL) {
        gg_buf_puts(out, ",\"errorInfo\":");
        gg_buf_puts(out, error->error_info);
    }
    if (error->data != NULL) {
        gg_buf_puts(out, ",\"data\":");
        gg_buf_puts(out, error->data);
    }
    gg_buf_putc(out, '}');
}

void gg_error_list_write_json(gg_buf *out, const gg_error_list *list)
{
    gg_buf_putc(out, '[');
    for (const gg_error *e = list->head; e != NULL; e = e->next) {
        if (e != list->head) gg_buf_putc(out, ',');
        gg_error_write_json(out, e);
    }
    gg_buf_putc(out, ']');
}

void gg_error_list_fault(const gg_error_list *list, const char *what, const char *fallback_name, gg_fault *fault)
{
    enum { SHOWN = 10 };
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_printf(&out, "%s: ", what);
    unsigned shown = 0;
    for (const gg_error *e = list->head; e != NULL && shown < SHOWN; e = e->next, shown++) {
        const char *file = e->detail != NULL ? e->detail : fallback_name;
        if (shown > 0) gg_buf_puts(&out, "\n  ");
        if (e->location_count > 0)
            gg_buf_printf(&out, "%s:%u:%u: %s", file, e->locations[0].line, e->locations[0].column, e->message);
        else
            gg_buf_printf(&out, "%s: %s", file, e->message);
    }
    if (shown == 0) gg_buf_printf(&out, "%s: could not be built", fallback_name);
    if (list->count > shown) gg_buf_printf(&out, "\n  (and %u more errors)", list->count - shown);
    gg_fault_set(fault, NULL, "%s", out.data);
    gg_buf_free(&out);
}
