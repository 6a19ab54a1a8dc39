/* file.c: whole-file reading with a size cap; see file.h.
 *
 * Reads in growing chunks rather than trusting the size fstat reports, so that files whose size
 * is not known in advance (pipes, /proc) read the same way; the cap is checked as bytes arrive.
 * Out of memory aborts, as everywhere in the server. */
#include "file.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void *grow_or_abort(void *data, size_t size)
{
    void *bigger = realloc(data, size);
    if (bigger == NULL) {
        gg_log_error("out of memory");
        abort();
    }
    return bigger;
}

/* Sets fault to the reason for error (an errno value) and returns NULL with errno set. */
static char *refuse(int error, size_t max_size, gg_fault *fault)
{
    if (fault != NULL) {
        if (error == EFBIG)
            gg_fault_set(fault, NULL, "larger than %zu bytes", max_size);
        else
            gg_fault_set(fault, NULL, "%s", strerror(error));
    }
    errno = error;
    return NULL;
}

char *gg_file_read(const char *path, size_t max_size, size_t *len, gg_fault *fault)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) return refuse(errno, max_size, fault);
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return refuse(EISDIR, max_size, fault);
    }
    size_t size = 0, capacity = 4096;
    char *data = grow_or_abort(NULL, capacity);
    int error = 0;
    for (;;) {
        if (size == capacity - 1) { /* keeps one byte for the NUL */
            capacity *= 2;
            data = grow_or_abort(data, capacity);
        }
        size_t n = fread(data + size, 1, capacity - 1 - size, f);
        size += n;
        if (size > max_size) {
            error = EFBIG;
            break;
        }
        if (n == 0) {
            error = ferror(f) ? (errno ? errno : EIO) : 0;
            break;
        }
    }
    fclose(f);
    if (error != 0) {
        free(data);
        return refuse(error, max_size, fault);
    }
    data[size] = '\0';
    *len = size;
    return data;
}
