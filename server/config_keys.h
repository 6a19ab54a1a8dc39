/* config_keys.h: the table of every configuration key (config_keys.c), shared by config.c only.
 *
 * One row per key: its dotted name, type, the offset of its field in gg_config, its default
 * written as text, its bounds and a line of help. config.c parses, checks, lists (--help) and
 * compares configurations through it. */
#ifndef GG_CONFIG_KEYS_H
#define GG_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* T_JSON: an object; T_NUMBER: a double above 0 and at most max (fractions allowed) */
typedef enum key_type { T_STR, T_UINT, T_U64, T_BOOL, T_LIST, T_SECRET, T_JSON, T_NUMBER } key_type;

typedef struct key_def {
    const char *name; /* dotted path */
    key_type type;
    size_t offset;
    const char *def; /* default, as text */
    uint64_t min, max;
    const char *help;
    bool is_path; /* relative paths in the file are relative to the file's directory */
} key_def;

extern const key_def gg_config_keys[];
extern const size_t gg_config_key_count;

#endif
