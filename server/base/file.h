/* file.h: the one way the server reads a whole file (configuration, schema files, the static data
 * file, secrets, @sql references).
 *
 * The file is read into one malloc'd buffer with a NUL after its last byte, so text parsers can use
 * it as a string (a file holding NUL bytes still has its full length in *len). A size cap keeps a
 * wrong path (a device, a huge log) from exhausting memory: a larger file is refused with a clear
 * reason instead. */
#ifndef GG_FILE_H
#define GG_FILE_H

#include <stddef.h>

#include "fault.h"

/* The cap every reader of the server uses: far above any schema, configuration or data file. */
#define GG_FILE_MAX_SIZE ((size_t)64 << 20)

/* Reads the whole file at path (at most max_size bytes). Returns the text (free it) and its length
 * in *len; NULL when it cannot be read, with the message of fault (may be NULL) saying why in a
 * few words for the caller's message: the system's reason ("No such file or directory", "Is a
 * directory") or "larger than N bytes". errno is set too (EFBIG for a file too large). */
char *gg_file_read(const char *path, size_t max_size, size_t *len, gg_fault *fault);

#endif
