// suggest_oracle.mjs: regenerates suggest.c (next to it) from graphql-js's own suggestionList, naturalCompare and
// didYouMean. Usage, from the repository root: node tests/unit/graphql/suggest_oracle.mjs
import { suggestionList } from 'graphql/jsutils/suggestionList.js';
import { didYouMean } from 'graphql/jsutils/didYouMean.js';
import { naturalCompare } from 'graphql/jsutils/naturalCompare.js';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const c = (s) => JSON.stringify(s);
const cases = [
  ['nam', ['name', 'nickname', 'Name', 'NAME', 'names', 'game', 'id']],
  ['abcd', ['abdc', 'bacd', 'abcde', 'xbcd', 'ab', 'dcba', 'ABCD']],
  ['item10', ['item2', 'item10', 'item1', 'item9', 'item010', 'Item10', 'item100']],
  ['f', ['a', 'b', 'ff', 'F', 'f1', 'f']],
  ['longfieldname', ['longFieldName', 'longfieldnam', 'lngfieldname', 'shortname', 'longfieldname2', 'fieldname', 'longfield']],
  ['x', []],
  ['dup', ['dup1', 'dup1', 'dpu']],
];
let out = `/* suggest.c: tests of the suggestion lists and "Did you mean" wording (server/graphql/suggest.c).
 *
 * Every expectation was printed once by graphql-js 16.15 suggestionList, naturalCompare and
 * didYouMean on the same inputs (regenerate with suggest_oracle.mjs). */
#include "test.h"

#include <stdlib.h>

#include "base/buf.h"
#include "graphql/suggest.h"

/* Joins a suggestion list with "|" for comparison. */
static char *joined(const char *input, const char *const *options, unsigned count)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const char **out;
    unsigned n;
    gg_suggestion_list(&arena, input, options, count, &out, &n);
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "");
    for (unsigned i = 0; i < n; i++)
        gg_buf_printf(&b, "%s%s", i ? "|" : "", out[i]);
    gg_arena_free(&arena);
    return gg_buf_take(&b, NULL);
}

static void test_suggestion_list(void)
{
`;
for (const [input, opts] of cases) {
  out += `    {\n        static const char *const options[] = {${opts.map(c).join(', ') || 'NULL'}};\n        char *got = joined(${c(input)}, options, ${opts.length});\n        CHECK_STR(got, ${c(suggestionList(input, opts).join('|'))});\n        free(got);\n    }\n`;
}
out += `}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_natural_compare(void)
{
`;
for (const [a, b] of [['a2', 'a10'], ['a10', 'a2'], ['a', 'b'], ['abc', 'ab'], ['x01', 'x1'], ['x0', 'x00'], ['Z', 'a'], ['same', 'same'], ['v9z', 'v10a']]) {
  out += `    CHECK_INT(sign(gg_natural_compare(${c(a)}, ${c(b)})), ${Math.sign(naturalCompare(a, b))});\n`;
}
out += `}

static void test_did_you_mean(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
`;
for (let n = 0; n <= 6; n++) {
  out += `    CHECK_STR(gg_did_you_mean(&arena, NULL, names, ${n}), ${c(didYouMean(['a', 'b', 'c', 'd', 'e', 'f'].slice(0, n)))});\n`;
}
out += `    CHECK_STR(gg_did_you_mean(&arena, "the enum value", names, 2), ${c(didYouMean('the enum value', ['a', 'b']))});
    gg_arena_free(&arena);
}

int main(void)
{
    RUN(test_suggestion_list);
    RUN(test_natural_compare);
    RUN(test_did_you_mean);
    return test_summary();
}
`;
fs.writeFileSync(path.join(here, 'suggest.c'), out);
