/* Tests server/base/file.c: whole files of several sizes (empty, across the buffer's growth, with
 * NUL bytes), the size cap (exactly at it, one byte over), and the reasons for a missing file and
 * a directory. */
#include "base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static char dir[64];

static const char *write_bytes(const char *name, const char *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
    return path;
}

static void test_sizes(void)
{
    size_t sizes[] = {0, 1, 4095, 4096, 4097, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *data = malloc(sizes[i] + 1);
        for (size_t k = 0; k < sizes[i]; k++)
            data[k] = (char)('a' + k % 26);
        const char *path = write_bytes("sized", data, sizes[i]);
        size_t len = 99;
        char why[64] = "";
        char *text = gg_file_read(path, GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why));
        CHECK(text != NULL);
        CHECK_INT(len, sizes[i]);
        CHECK(text != NULL && memcmp(text, data, sizes[i]) == 0 && text[len] == '\0');
        CHECK_STR(why, "");
        free(text);
        free(data);
    }
}

static void test_nul_bytes(void)
{
    const char *path = write_bytes("binary", "a\0b\0", 4);
    size_t len;
    char *text = gg_file_read(path, 16, &len, NULL);
    CHECK_INT(len, 4);
    CHECK(text != NULL && memcmp(text, "a\0b\0", 5) == 0);
    free(text);
}

static void test_cap(void)
{
    const char *path = write_bytes("ten", "0123456789", 10);
    size_t len;
    char why[64] = "";
    char *text = gg_file_read(path, 10, &len, GG_FAULT_INTO(why));
    CHECK(text != NULL);
    CHECK_STR(text ? text : "", "0123456789");
    free(text);
    text = gg_file_read(path, 9, &len, GG_FAULT_INTO(why));
    CHECK(text == NULL);
    CHECK_INT(errno, EFBIG);
    CHECK_INT(len, 0);
    CHECK_STR(why, "larger than 9 bytes");
}

static void test_errors(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/missing", dir);
    size_t len;
    char why[64] = "";
    CHECK(gg_file_read(path, GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why)) == NULL);
    CHECK_INT(errno, ENOENT);
    CHECK_STR(why, strerror(ENOENT));
    CHECK(gg_file_read(dir, GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why)) == NULL);
    CHECK_INT(errno, EISDIR);
    CHECK_STR(why, strerror(EISDIR));
    CHECK(gg_file_read(path, GG_FILE_MAX_SIZE, &len, NULL) == NULL); /* no room for a reason: fine */
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gg-file-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_sizes);
    RUN(test_nul_bytes);
    RUN(test_cap);
    RUN(test_errors);
    const char *names[] = {"sized", "binary", "ten"};
    for (size_t i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return test_summary();
}
