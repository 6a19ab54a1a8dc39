/* replay.c: a main() that replays fuzz inputs through a harness without libFuzzer.
 *
 * Each harness (fuzz_parse.c, fuzz_schema.c, fuzz_request.c) defines LLVMFuzzerTestOneInput,
 * the libFuzzer entry point. Linked with this file instead of -fsanitize=fuzzer, it becomes a plain
 * program: every argument is a file or a directory (its files and subdirectories, replayed in name
 * order, so runs are reproducible), each file handed to the harness once. The suite passes the
 * harness's own corpus and the differential corpus (tests/differential/corpus), whose documents
 * and schemas are the fuzzers' seeds too, so they are not copied into the fuzz corpora. The meson suite 'fuzz-replay'
 * runs the corpora this way with the normal compiler, and under AddressSanitizer in the sanitizer build. A harness
 * reports a broken property by aborting, so a failing input makes the test fail with its name
 * printed just before. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a whole file; NULL when it cannot be read. */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) data = realloc(data, cap *= 2);
    }
    fclose(f);
    *size = len;
    return data;
}

static int replay_file(const char *path)
{
    size_t size;
    uint8_t *data = read_file(path, &size);
    if (!data) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
    /* A copy of exactly `size` bytes, so AddressSanitizer sees any read past the input. */
    uint8_t *exact = malloc(size ? size : 1);
    memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file of a directory and of its subdirectories, in name order; returns the
 * number of failures. */
static int replay_dir(const char *dir, unsigned *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot open %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, compare_names);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        snprintf(path, len, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            failures += replay_file(path);
            (*count)++;
        } else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            failures += replay_dir(path, count);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return failures;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
        return 2;
    }
    int failures = 0;
    unsigned count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            failures += replay_dir(argv[i], &count);
        } else {
            failures += replay_file(argv[i]);
            count++;
        }
    }
    printf("replayed %u inputs, %d unreadable\n", count, failures);
    return failures ? 1 : 0;
}
