/* Unit tests for server/graphql/type/scalars.c: Int, Float, String, Boolean, ID and user scalars.
 *
 * The table below was printed by scalars_oracle.mjs from graphql-js v16, the reference: each row
 * is one call (serialize and parse_value take JSON text, parse_literal a GraphQL literal) and
 * what graphql-js answers, the JSON of the result or the error message. The hand-written tests
 * after it cover what JSON cannot carry (NaN, Infinity, undefined, RAW and ENUM values) and the
 * printers and the Number() conversion on their own. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../test.h"
#include "graphql/language/parser.h"
#include "graphql/type/scalars.h"

enum path { SERIALIZE, PARSE_VALUE, PARSE_LITERAL };

static const struct oracle_case {
    const char *scalar;
    enum path path;
    const char *input;
    bool ok;
    const char *expected; /* JSON of the result, or the error message */
} cases[] = {
    {"Int", SERIALIZE, "1", true, "1"},
    {"Int", SERIALIZE, "-0", true, "0"},
    {"Int", SERIALIZE, "1.0", true, "1"},
    {"Int", SERIALIZE, "1.5", false, "Int cannot represent non-integer value: 1.5"},
    {"Int", SERIALIZE, "3000000000", false, "Int cannot represent non 32-bit signed integer value: 3000000000"},
    {"Int", SERIALIZE, "2147483647", true, "2147483647"},
    {"Int", SERIALIZE, "2147483648", false, "Int cannot represent non 32-bit signed integer value: 2147483648"},
    {"Int", SERIALIZE, "-2147483648", true, "-2147483648"},
    {"Int", SERIALIZE, "-2147483649", false, "Int cannot represent non 32-bit signed integer value: -2147483649"},
    {"Int", SERIALIZE, "9007199254740993", false,
     "Int cannot represent non 32-bit signed integer value: 9007199254740992"},
    {"Int", SERIALIZE, "1e300", false, "Int cannot represent non 32-bit signed integer value: 1e+300"},
    {"Int", SERIALIZE, "1e-7", false, "Int cannot represent non-integer value: 1e-7"},
    {"Int", SERIALIZE, "0.1", false, "Int cannot represent non-integer value: 0.1"},
    {"Int", SERIALIZE, "1e21", false, "Int cannot represent non 32-bit signed integer value: 1e+21"},
    {"Int", SERIALIZE, "\"12\"", true, "12"},
    {"Int", SERIALIZE, "\" 12 \"", true, "12"},
    {"Int", SERIALIZE, "\"\"", false, "Int cannot represent non-integer value: \"\""},
    {"Int", SERIALIZE, "\"  \"", true, "0"},
    {"Int", SERIALIZE, "\"0x10\"", true, "16"},
    {"Int", SERIALIZE, "\"1e3\"", true, "1000"},
    {"Int", SERIALIZE, "\"1.5\"", false, "Int cannot represent non-integer value: \"1.5\""},
    {"Int", SERIALIZE, "\"abc\"", false, "Int cannot represent non-integer value: \"abc\""},
    {"Int", SERIALIZE, "\"Infinity\"", false, "Int cannot represent non-integer value: \"Infinity\""},
    {"Int", SERIALIZE, "\"-0x10\"", false, "Int cannot represent non-integer value: \"-0x10\""},
    {"Int", SERIALIZE, "\".5e1\"", true, "5"},
    {"Int", SERIALIZE, "\"1e1000\"", false, "Int cannot represent non-integer value: \"1e1000\""},
    {"Int", SERIALIZE, "true", true, "1"},
    {"Int", SERIALIZE, "false", true, "0"},
    {"Int", SERIALIZE, "null", false, "Int cannot represent non-integer value: null"},
    {"Int", SERIALIZE, "[]", false, "Int cannot represent non-integer value: []"},
    {"Int", SERIALIZE, "[1]", false, "Int cannot represent non-integer value: [1]"},
    {"Int", SERIALIZE, "{}", false, "Int cannot represent non-integer value: {}"},
    {"Int", SERIALIZE, "{\"a\":1}", false, "Int cannot represent non-integer value: { a: 1 }"},
    {"Int", SERIALIZE, "{\"a\":{\"b\":{\"c\":1}}}", false,
     "Int cannot represent non-integer value: { a: { b: [Object] } }"},
    {"Int", SERIALIZE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "Int cannot represent non-integer value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"Int", SERIALIZE, "[[[[1]]]]", false, "Int cannot represent non-integer value: [[[Array]]]"},
    {"Int", SERIALIZE, "\"x\\\"y\\n\"", false, "Int cannot represent non-integer value: \"x\\\"y\\n\""},
    {"Int", PARSE_VALUE, "1", true, "1"},
    {"Int", PARSE_VALUE, "-0", true, "0"},
    {"Int", PARSE_VALUE, "1.0", true, "1"},
    {"Int", PARSE_VALUE, "1.5", false, "Int cannot represent non-integer value: 1.5"},
    {"Int", PARSE_VALUE, "3000000000", false, "Int cannot represent non 32-bit signed integer value: 3000000000"},
    {"Int", PARSE_VALUE, "2147483647", true, "2147483647"},
    {"Int", PARSE_VALUE, "2147483648", false, "Int cannot represent non 32-bit signed integer value: 2147483648"},
    {"Int", PARSE_VALUE, "-2147483648", true, "-2147483648"},
    {"Int", PARSE_VALUE, "-2147483649", false, "Int cannot represent non 32-bit signed integer value: -2147483649"},
    {"Int", PARSE_VALUE, "9007199254740993", false,
     "Int cannot represent non 32-bit signed integer value: 9007199254740992"},
    {"Int", PARSE_VALUE, "1e300", false, "Int cannot represent non 32-bit signed integer value: 1e+300"},
    {"Int", PARSE_VALUE, "1e-7", false, "Int cannot represent non-integer value: 1e-7"},
    {"Int", PARSE_VALUE, "0.1", false, "Int cannot represent non-integer value: 0.1"},
    {"Int", PARSE_VALUE, "1e21", false, "Int cannot represent non 32-bit signed integer value: 1e+21"},
    {"Int", PARSE_VALUE, "\"12\"", false, "Int cannot represent non-integer value: \"12\""},
    {"Int", PARSE_VALUE, "\" 12 \"", false, "Int cannot represent non-integer value: \" 12 \""},
    {"Int", PARSE_VALUE, "\"\"", false, "Int cannot represent non-integer value: \"\""},
    {"Int", PARSE_VALUE, "\"  \"", false, "Int cannot represent non-integer value: \"  \""},
    {"Int", PARSE_VALUE, "\"0x10\"", false, "Int cannot represent non-integer value: \"0x10\""},
    {"Int", PARSE_VALUE, "\"1e3\"", false, "Int cannot represent non-integer value: \"1e3\""},
    {"Int", PARSE_VALUE, "\"1.5\"", false, "Int cannot represent non-integer value: \"1.5\""},
    {"Int", PARSE_VALUE, "\"abc\"", false, "Int cannot represent non-integer value: \"abc\""},
    {"Int", PARSE_VALUE, "\"Infinity\"", false, "Int cannot represent non-integer value: \"Infinity\""},
    {"Int", PARSE_VALUE, "\"-0x10\"", false, "Int cannot represent non-integer value: \"-0x10\""},
    {"Int", PARSE_VALUE, "\".5e1\"", false, "Int cannot represent non-integer value: \".5e1\""},
    {"Int", PARSE_VALUE, "\"1e1000\"", false, "Int cannot represent non-integer value: \"1e1000\""},
    {"Int", PARSE_VALUE, "true", false, "Int cannot represent non-integer value: true"},
    {"Int", PARSE_VALUE, "false", false, "Int cannot represent non-integer value: false"},
    {"Int", PARSE_VALUE, "null", false, "Int cannot represent non-integer value: null"},
    {"Int", PARSE_VALUE, "[]", false, "Int cannot represent non-integer value: []"},
    {"Int", PARSE_VALUE, "[1]", false, "Int cannot represent non-integer value: [1]"},
    {"Int", PARSE_VALUE, "{}", false, "Int cannot represent non-integer value: {}"},
    {"Int", PARSE_VALUE, "{\"a\":1}", false, "Int cannot represent non-integer value: { a: 1 }"},
    {"Int", PARSE_VALUE, "{\"a\":{\"b\":{\"c\":1}}}", false,
     "Int cannot represent non-integer value: { a: { b: [Object] } }"},
    {"Int", PARSE_VALUE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "Int cannot represent non-integer value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"Int", PARSE_VALUE, "[[[[1]]]]", false, "Int cannot represent non-integer value: [[[Array]]]"},
    {"Int", PARSE_VALUE, "\"x\\\"y\\n\"", false, "Int cannot represent non-integer value: \"x\\\"y\\n\""},
    {"Int", PARSE_LITERAL, "1", true, "1"},
    {"Int", PARSE_LITERAL, "-0", true, "0"},
    {"Int", PARSE_LITERAL, "0", true, "0"},
    {"Int", PARSE_LITERAL, "1.5", false, "Int cannot represent non-integer value: 1.5"},
    {"Int", PARSE_LITERAL, "-1.5e3", false, "Int cannot represent non-integer value: -1.5e3"},
    {"Int", PARSE_LITERAL, "1e1000", false, "Int cannot represent non-integer value: 1e1000"},
    {"Int", PARSE_LITERAL, "2147483647", true, "2147483647"},
    {"Int", PARSE_LITERAL, "2147483648", false, "Int cannot represent non 32-bit signed integer value: 2147483648"},
    {"Int", PARSE_LITERAL, "-2147483648", true, "-2147483648"},
    {"Int", PARSE_LITERAL, "-2147483649", false, "Int cannot represent non 32-bit signed integer value: -2147483649"},
    {"Int", PARSE_LITERAL, "99999999999999999999", false,
     "Int cannot represent non 32-bit signed integer value: 99999999999999999999"},
    {"Int", PARSE_LITERAL, "\"abc\"", false, "Int cannot represent non-integer value: \"abc\""},
    {"Int", PARSE_LITERAL, "\"1\"", false, "Int cannot represent non-integer value: \"1\""},
    {"Int", PARSE_LITERAL, "\"\"", false, "Int cannot represent non-integer value: \"\""},
    {"Int", PARSE_LITERAL, "\"\"\"block\"\"\"", false, "Int cannot represent non-integer value: \"\"\"block\"\"\""},
    {"Int", PARSE_LITERAL, "\"\"\"a\\nb\"\"\"", false, "Int cannot represent non-integer value: \"\"\"a\\nb\"\"\""},
    {"Int", PARSE_LITERAL, "\"\"\"  indented\"\"\"", false,
     "Int cannot represent non-integer value: \"\"\"  indented\"\"\""},
    {"Int", PARSE_LITERAL, "\"x\\u0080\\n\\\"y\"", false,
     "Int cannot represent non-integer value: \"x\\u0080\\n\\\"y\""},
    {"Int", PARSE_LITERAL, "true", false, "Int cannot represent non-integer value: true"},
    {"Int", PARSE_LITERAL, "false", false, "Int cannot represent non-integer value: false"},
    {"Int", PARSE_LITERAL, "null", false, "Int cannot represent non-integer value: null"},
    {"Int", PARSE_LITERAL, "ENUM_VALUE", false, "Int cannot represent non-integer value: ENUM_VALUE"},
    {"Int", PARSE_LITERAL, "[1, \"a\"]", false, "Int cannot represent non-integer value: [1, \"a\"]"},
    {"Int", PARSE_LITERAL, "{a: 1, b: [true, null]}", false,
     "Int cannot represent non-integer value: {a: 1, b: [true, null]}"},
    {"Int", PARSE_LITERAL, "[]", false, "Int cannot represent non-integer value: []"},
    {"Int", PARSE_LITERAL, "{}", false, "Int cannot represent non-integer value: {}"},
    {"Int", PARSE_LITERAL, "$var", false, "Int cannot represent non-integer value: $var"},
    {"Float", SERIALIZE, "1", true, "1"},
    {"Float", SERIALIZE, "-0", true, "0"},
    {"Float", SERIALIZE, "1.0", true, "1"},
    {"Float", SERIALIZE, "1.5", true, "1.5"},
    {"Float", SERIALIZE, "3000000000", true, "3000000000"},
    {"Float", SERIALIZE, "2147483647", true, "2147483647"},
    {"Float", SERIALIZE, "2147483648", true, "2147483648"},
    {"Float", SERIALIZE, "-2147483648", true, "-2147483648"},
    {"Float", SERIALIZE, "-2147483649", true, "-2147483649"},
    {"Float", SERIALIZE, "9007199254740993", true, "9007199254740992"},
    {"Float", SERIALIZE, "1e300", true, "1e+300"},
    {"Float", SERIALIZE, "1e-7", true, "1e-7"},
    {"Float", SERIALIZE, "0.1", true, "0.1"},
    {"Float", SERIALIZE, "1e21", true, "1e+21"},
    {"Float", SERIALIZE, "\"12\"", true, "12"},
    {"Float", SERIALIZE, "\" 12 \"", true, "12"},
    {"Float", SERIALIZE, "\"\"", false, "Float cannot represent non numeric value: \"\""},
    {"Float", SERIALIZE, "\"  \"", true, "0"},
    {"Float", SERIALIZE, "\"0x10\"", true, "16"},
    {"Float", SERIALIZE, "\"1e3\"", true, "1000"},
    {"Float", SERIALIZE, "\"1.5\"", true, "1.5"},
    {"Float", SERIALIZE, "\"abc\"", false, "Float cannot represent non numeric value: \"abc\""},
    {"Float", SERIALIZE, "\"Infinity\"", false, "Float cannot represent non numeric value: \"Infinity\""},
    {"Float", SERIALIZE, "\"-0x10\"", false, "Float cannot represent non numeric value: \"-0x10\""},
    {"Float", SERIALIZE, "\".5e1\"", true, "5"},
    {"Float", SERIALIZE, "\"1e1000\"", false, "Float cannot represent non numeric value: \"1e1000\""},
    {"Float", SERIALIZE, "true", true, "1"},
    {"Float", SERIALIZE, "false", true, "0"},
    {"Float", SERIALIZE, "null", false, "Float cannot represent non numeric value: null"},
    {"Float", SERIALIZE, "[]", false, "Float cannot represent non numeric value: []"},
    {"Float", SERIALIZE, "[1]", false, "Float cannot represent non numeric value: [1]"},
    {"Float", SERIALIZE, "{}", false, "Float cannot represent non numeric value: {}"},
    {"Float", SERIALIZE, "{\"a\":1}", false, "Float cannot represent non numeric value: { a: 1 }"},
    {"Float", SERIALIZE, "{\"a\":{\"b\":{\"c\":1}}}", false,
     "Float cannot represent non numeric value: { a: { b: [Object] } }"},
    {"Float", SERIALIZE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "Float cannot represent non numeric value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"Float", SERIALIZE, "[[[[1]]]]", false, "Float cannot represent non numeric value: [[[Array]]]"},
    {"Float", SERIALIZE, "\"x\\\"y\\n\"", false, "Float cannot represent non numeric value: \"x\\\"y\\n\""},
    {"Float", PARSE_VALUE, "1", true, "1"},
    {"Float", PARSE_VALUE, "-0", true, "0"},
    {"Float", PARSE_VALUE, "1.0", true, "1"},
    {"Float", PARSE_VALUE, "1.5", true, "1.5"},
    {"Float", PARSE_VALUE, "3000000000", true, "3000000000"},
    {"Float", PARSE_VALUE, "2147483647", true, "2147483647"},
    {"Float", PARSE_VALUE, "2147483648", true, "2147483648"},
    {"Float", PARSE_VALUE, "-2147483648", true, "-2147483648"},
    {"Float", PARSE_VALUE, "-2147483649", true, "-2147483649"},
    {"Float", PARSE_VALUE, "9007199254740993", true, "9007199254740992"},
    {"Float", PARSE_VALUE, "1e300", true, "1e+300"},
    {"Float", PARSE_VALUE, "1e-7", true, "1e-7"},
    {"Float", PARSE_VALUE, "0.1", true, "0.1"},
    {"Float", PARSE_VALUE, "1e21", true, "1e+21"},
    {"Float", PARSE_VALUE, "\"12\"", false, "Float cannot represent non numeric value: \"12\""},
    {"Float", PARSE_VALUE, "\" 12 \"", false, "Float cannot represent non numeric value: \" 12 \""},
    {"Float", PARSE_VALUE, "\"\"", false, "Float cannot represent non numeric value: \"\""},
    {"Float", PARSE_VALUE, "\"  \"", false, "Float cannot represent non numeric value: \"  \""},
    {"Float", PARSE_VALUE, "\"0x10\"", false, "Float cannot represent non numeric value: \"0x10\""},
    {"Float", PARSE_VALUE, "\"1e3\"", false, "Float cannot represent non numeric value: \"1e3\""},
    {"Float", PARSE_VALUE, "\"1.5\"", false, "Float cannot represent non numeric value: \"1.5\""},
    {"Float", PARSE_VALUE, "\"abc\"", false, "Float cannot represent non numeric value: \"abc\""},
    {"Float", PARSE_VALUE, "\"Infinity\"", false, "Float cannot represent non numeric value: \"Infinity\""},
    {"Float", PARSE_VALUE, "\"-0x10\"", false, "Float cannot represent non numeric value: \"-0x10\""},
    {"Float", PARSE_VALUE, "\".5e1\"", false, "Float cannot represent non numeric value: \".5e1\""},
    {"Float", PARSE_VALUE, "\"1e1000\"", false, "Float cannot represent non numeric value: \"1e1000\""},
    {"Float", PARSE_VALUE, "true", false, "Float cannot represent non numeric value: true"},
    {"Float", PARSE_VALUE, "false", false, "Float cannot represent non numeric value: false"},
    {"Float", PARSE_VALUE, "null", false, "Float cannot represent non numeric value: null"},
    {"Float", PARSE_VALUE, "[]", false, "Float cannot represent non numeric value: []"},
    {"Float", PARSE_VALUE, "[1]", false, "Float cannot represent non numeric value: [1]"},
    {"Float", PARSE_VALUE, "{}", false, "Float cannot represent non numeric value: {}"},
    {"Float", PARSE_VALUE, "{\"a\":1}", false, "Float cannot represent non numeric value: { a: 1 }"},
    {"Float", PARSE_VALUE, "{\"a\":{\"b\":{\"c\":1}}}", false,
     "Float cannot represent non numeric value: { a: { b: [Object] } }"},
    {"Float", PARSE_VALUE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "Float cannot represent non numeric value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"Float", PARSE_VALUE, "[[[[1]]]]", false, "Float cannot represent non numeric value: [[[Array]]]"},
    {"Float", PARSE_VALUE, "\"x\\\"y\\n\"", false, "Float cannot represent non numeric value: \"x\\\"y\\n\""},
    {"Float", PARSE_LITERAL, "1", true, "1"},
    {"Float", PARSE_LITERAL, "-0", true, "0"},
    {"Float", PARSE_LITERAL, "0", true, "0"},
    {"Float", PARSE_LITERAL, "1.5", true, "1.5"},
    {"Float", PARSE_LITERAL, "-1.5e3", true, "-1500"},
    {"Float", PARSE_LITERAL, "1e1000", true, "null"},
    {"Float", PARSE_LITERAL, "2147483647", true, "2147483647"},
    {"Float", PARSE_LITERAL, "2147483648", true, "2147483648"},
    {"Float", PARSE_LITERAL, "-2147483648", true, "-2147483648"},
    {"Float", PARSE_LITERAL, "-2147483649", true, "-2147483649"},
    {"Float", PARSE_LITERAL, "99999999999999999999", true, "100000000000000000000"},
    {"Float", PARSE_LITERAL, "\"abc\"", false, "Float cannot represent non numeric value: \"abc\""},
    {"Float", PARSE_LITERAL, "\"1\"", false, "Float cannot represent non numeric value: \"1\""},
    {"Float", PARSE_LITERAL, "\"\"", false, "Float cannot represent non numeric value: \"\""},
    {"Float", PARSE_LITERAL, "\"\"\"block\"\"\"", false, "Float cannot represent non numeric value: \"\"\"block\"\"\""},
    {"Float", PARSE_LITERAL, "\"\"\"a\\nb\"\"\"", false, "Float cannot represent non numeric value: \"\"\"a\\nb\"\"\""},
    {"Float", PARSE_LITERAL, "\"\"\"  indented\"\"\"", false,
     "Float cannot represent non numeric value: \"\"\"  indented\"\"\""},
    {"Float", PARSE_LITERAL, "\"x\\u0080\\n\\\"y\"", false,
     "Float cannot represent non numeric value: \"x\\u0080\\n\\\"y\""},
    {"Float", PARSE_LITERAL, "true", false, "Float cannot represent non numeric value: true"},
    {"Float", PARSE_LITERAL, "false", false, "Float cannot represent non numeric value: false"},
    {"Float", PARSE_LITERAL, "null", false, "Float cannot represent non numeric value: null"},
    {"Float", PARSE_LITERAL, "ENUM_VALUE", false, "Float cannot represent non numeric value: ENUM_VALUE"},
    {"Float", PARSE_LITERAL, "[1, \"a\"]", false, "Float cannot represent non numeric value: [1, \"a\"]"},
    {"Float", PARSE_LITERAL, "{a: 1, b: [true, null]}", false,
     "Float cannot represent non numeric value: {a: 1, b: [true, null]}"},
    {"Float", PARSE_LITERAL, "[]", false, "Float cannot represent non numeric value: []"},
    {"Float", PARSE_LITERAL, "{}", false, "Float cannot represent non numeric value: {}"},
    {"Float", PARSE_LITERAL, "$var", false, "Float cannot represent non numeric value: $var"},
    {"String", SERIALIZE, "1", true, "\"1\""},
    {"String", SERIALIZE, "-0", true, "\"0\""},
    {"String", SERIALIZE, "1.0", true, "\"1\""},
    {"String", SERIALIZE, "1.5", true, "\"1.5\""},
    {"String", SERIALIZE, "3000000000", true, "\"3000000000\""},
    {"String", SERIALIZE, "2147483647", true, "\"2147483647\""},
    {"String", SERIALIZE, "2147483648", true, "\"2147483648\""},
    {"String", SERIALIZE, "-2147483648", true, "\"-2147483648\""},
    {"String", SERIALIZE, "-2147483649", true, "\"-2147483649\""},
    {"String", SERIALIZE, "9007199254740993", true, "\"9007199254740992\""},
    {"String", SERIALIZE, "1e300", true, "\"1e+300\""},
    {"String", SERIALIZE, "1e-7", true, "\"1e-7\""},
    {"String", SERIALIZE, "0.1", true, "\"0.1\""},
    {"String", SERIALIZE, "1e21", true, "\"1e+21\""},
    {"String", SERIALIZE, "\"12\"", true, "\"12\""},
    {"String", SERIALIZE, "\" 12 \"", true, "\" 12 \""},
    {"String", SERIALIZE, "\"\"", true, "\"\""},
    {"String", SERIALIZE, "\"  \"", true, "\"  \""},
    {"String", SERIALIZE, "\"0x10\"", true, "\"0x10\""},
    {"String", SERIALIZE, "\"1e3\"", true, "\"1e3\""},
    {"String", SERIALIZE, "\"1.5\"", true, "\"1.5\""},
    {"String", SERIALIZE, "\"abc\"", true, "\"abc\""},
    {"String", SERIALIZE, "\"Infinity\"", true, "\"Infinity\""},
    {"String", SERIALIZE, "\"-0x10\"", true, "\"-0x10\""},
    {"String", SERIALIZE, "\".5e1\"", true, "\".5e1\""},
    {"String", SERIALIZE, "\"1e1000\"", true, "\"1e1000\""},
    {"String", SERIALIZE, "true", true, "\"true\""},
    {"String", SERIALIZE, "false", true, "\"false\""},
    {"String", SERIALIZE, "null", false, "String cannot represent value: null"},
    {"String", SERIALIZE, "[]", false, "String cannot represent value: []"},
    {"String", SERIALIZE, "[1]", false, "String cannot represent value: [1]"},
    {"String", SERIALIZE, "{}", false, "String cannot represent value: {}"},
    {"String", SERIALIZE, "{\"a\":1}", false, "String cannot represent value: { a: 1 }"},
    {"String", SERIALIZE, "{\"a\":{\"b\":{\"c\":1}}}", false, "String cannot represent value: { a: { b: [Object] } }"},
    {"String", SERIALIZE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "String cannot represent value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"String", SERIALIZE, "[[[[1]]]]", false, "String cannot represent value: [[[Array]]]"},
    {"String", SERIALIZE, "\"x\\\"y\\n\"", true, "\"x\\\"y\\n\""},
    {"String", PARSE_VALUE, "1", false, "String cannot represent a non string value: 1"},
    {"String", PARSE_VALUE, "-0", false, "String cannot represent a non string value: 0"},
    {"String", PARSE_VALUE, "1.0", false, "String cannot represent a non string value: 1"},
    {"String", PARSE_VALUE, "1.5", false, "String cannot represent a non string value: 1.5"},
    {"String", PARSE_VALUE, "3000000000", false, "String cannot represent a non string value: 3000000000"},
    {"String", PARSE_VALUE, "2147483647", false, "String cannot represent a non string value: 2147483647"},
    {"String", PARSE_VALUE, "2147483648", false, "String cannot represent a non string value: 2147483648"},
    {"String", PARSE_VALUE, "-2147483648", false, "String cannot represent a non string value: -2147483648"},
    {"String", PARSE_VALUE, "-2147483649", false, "String cannot represent a non string value: -2147483649"},
    {"String", PARSE_VALUE, "9007199254740993", false, "String cannot represent a non string value: 9007199254740992"},
    {"String", PARSE_VALUE, "1e300", false, "String cannot represent a non string value: 1e+300"},
    {"String", PARSE_VALUE, "1e-7", false, "String cannot represent a non string value: 1e-7"},
    {"String", PARSE_VALUE, "0.1", false, "String cannot represent a non string value: 0.1"},
    {"String", PARSE_VALUE, "1e21", false, "String cannot represent a non string value: 1e+21"},
    {"String", PARSE_VALUE, "\"12\"", true, "\"12\""},
    {"String", PARSE_VALUE, "\" 12 \"", true, "\" 12 \""},
    {"String", PARSE_VALUE, "\"\"", true, "\"\""},
    {"String", PARSE_VALUE, "\"  \"", true, "\"  \""},
    {"String", PARSE_VALUE, "\"0x10\"", true, "\"0x10\""},
    {"String", PARSE_VALUE, "\"1e3\"", true, "\"1e3\""},
    {"String", PARSE_VALUE, "\"1.5\"", true, "\"1.5\""},
    {"String", PARSE_VALUE, "\"abc\"", true, "\"abc\""},
    {"String", PARSE_VALUE, "\"Infinity\"", true, "\"Infinity\""},
    {"String", PARSE_VALUE, "\"-0x10\"", true, "\"-0x10\""},
    {"String", PARSE_VALUE, "\".5e1\"", true, "\".5e1\""},
    {"String", PARSE_VALUE, "\"1e1000\"", true, "\"1e1000\""},
    {"String", PARSE_VALUE, "true", false, "String cannot represent a non string value: true"},
    {"String", PARSE_VALUE, "false", false, "String cannot represent a non string value: false"},
    {"String", PARSE_VALUE, "null", false, "String cannot represent a non string value: null"},
    {"String", PARSE_VALUE, "[]", false, "String cannot represent a non string value: []"},
    {"String", PARSE_VALUE, "[1]", false, "String cannot represent a non string value: [1]"},
    {"String", PARSE_VALUE, "{}", false, "String cannot represent a non string value: {}"},
    {"String", PARSE_VALUE, "{\"a\":1}", false, "String cannot represent a non string value: { a: 1 }"},
    {"String", PARSE_VALUE, "{\"a\":{\"b\":{\"c\":1}}}", false,
     "String cannot represent a non string value: { a: { b: [Object] } }"},
    {"String", PARSE_VALUE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "String cannot represent a non string value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"String", PARSE_VALUE, "[[[[1]]]]", false, "String cannot represent a non string value: [[[Array]]]"},
    {"String", PARSE_VALUE, "\"x\\\"y\\n\"", true, "\"x\\\"y\\n\""},
    {"String", PARSE_LITERAL, "1", false, "String cannot represent a non string value: 1"},
    {"String", PARSE_LITERAL, "-0", false, "String cannot represent a non string value: -0"},
    {"String", PARSE_LITERAL, "0", false, "String cannot represent a non string value: 0"},
    {"String", PARSE_LITERAL, "1.5", false, "String cannot represent a non string value: 1.5"},
    {"String", PARSE_LITERAL, "-1.5e3", false, "String cannot represent a non string value: -1.5e3"},
    {"String", PARSE_LITERAL, "1e1000", false, "String cannot represent a non string value: 1e1000"},
    {"String", PARSE_LITERAL, "2147483647", false, "String cannot represent a non string value: 2147483647"},
    {"String", PARSE_LITERAL, "2147483648", false, "String cannot represent a non string value: 2147483648"},
    {"String", PARSE_LITERAL, "-2147483648", false, "String cannot represent a non string value: -2147483648"},
    {"String", PARSE_LITERAL, "-2147483649", false, "String cannot represent a non string value: -2147483649"},
    {"String", PARSE_LITERAL, "99999999999999999999", false,
     "String cannot represent a non string value: 99999999999999999999"},
    {"String", PARSE_LITERAL, "\"abc\"", true, "\"abc\""},
    {"String", PARSE_LITERAL, "\"1\"", true, "\"1\""},
    {"String", PARSE_LITERAL, "\"\"", true, "\"\""},
    {"String", PARSE_LITERAL, "\"\"\"block\"\"\"", true, "\"block\""},
    {"String", PARSE_LITERAL, "\"\"\"a\\nb\"\"\"", true, "\"a\\\\nb\""},
    {"String", PARSE_LITERAL, "\"\"\"  indented\"\"\"", true, "\"  indented\""},
    {"String", PARSE_LITERAL, "\"x\\u0080\\n\\\"y\"", true, "\"x\\n\\\"y\""},
    {"String", PARSE_LITERAL, "true", false, "String cannot represent a non string value: true"},
    {"String", PARSE_LITERAL, "false", false, "String cannot represent a non string value: false"},
    {"String", PARSE_LITERAL, "null", false, "String cannot represent a non string value: null"},
    {"String", PARSE_LITERAL, "ENUM_VALUE", false, "String cannot represent a non string value: ENUM_VALUE"},
    {"String", PARSE_LITERAL, "[1, \"a\"]", false, "String cannot represent a non string value: [1, \"a\"]"},
    {"String", PARSE_LITERAL, "{a: 1, b: [true, null]}", false,
     "String cannot represent a non string value: {a: 1, b: [true, null]}"},
    {"String", PARSE_LITERAL, "[]", false, "String cannot represent a non string value: []"},
    {"String", PARSE_LITERAL, "{}", false, "String cannot represent a non string value: {}"},
    {"String", PARSE_LITERAL, "$var", false, "String cannot represent a non string value: $var"},
    {"Boolean", SERIALIZE, "1", true, "true"},
    {"Boolean", SERIALIZE, "-0", true, "false"},
    {"Boolean", SERIALIZE, "1.0", true, "true"},
    {"Boolean", SERIALIZE, "1.5", true, "true"},
    {"Boolean", SERIALIZE, "3000000000", true, "true"},
    {"Boolean", SERIALIZE, "2147483647", true, "true"},
    {"Boolean", SERIALIZE, "2147483648", true, "true"},
    {"Boolean", SERIALIZE, "-2147483648", true, "true"},
    {"Boolean", SERIALIZE, "-2147483649", true, "true"},
    {"Boolean", SERIALIZE, "9007199254740993", true, "true"},
    {"Boolean", SERIALIZE, "1e300", true, "true"},
    {"Boolean", SERIALIZE, "1e-7", true, "true"},
    {"Boolean", SERIALIZE, "0.1", true, "true"},
    {"Boolean", SERIALIZE, "1e21", true, "true"},
    {"Boolean", SERIALIZE, "\"12\"", false, "Boolean cannot represent a non boolean value: \"12\""},
    {"Boolean", SERIALIZE, "\" 12 \"", false, "Boolean cannot represent a non boolean value: \" 12 \""},
    {"Boolean", SERIALIZE, "\"\"", false, "Boolean cannot represent a non boolean value: \"\""},
    {"Boolean", SERIALIZE, "\"  \"", false, "Boolean cannot represent a non boolean value: \"  \""},
    {"Boolean", SERIALIZE, "\"0x10\"", false, "Boolean cannot represent a non boolean value: \"0x10\""},
    {"Boolean", SERIALIZE, "\"1e3\"", false, "Boolean cannot represent a non boolean value: \"1e3\""},
    {"Boolean", SERIALIZE, "\"1.5\"", false, "Boolean cannot represent a non boolean value: \"1.5\""},
    {"Boolean", SERIALIZE, "\"abc\"", false, "Boolean cannot represent a non boolean value: \"abc\""},
    {"Boolean", SERIALIZE, "\"Infinity\"", false, "Boolean cannot represent a non boolean value: \"Infinity\""},
    {"Boolean", SERIALIZE, "\"-0x10\"", false, "Boolean cannot represent a non boolean value: \"-0x10\""},
    {"Boolean", SERIALIZE, "\".5e1\"", false, "Boolean cannot represent a non boolean value: \".5e1\""},
    {"Boolean", SERIALIZE, "\"1e1000\"", false, "Boolean cannot represent a non boolean value: \"1e1000\""},
    {"Boolean", SERIALIZE, "true", true, "true"},
    {"Boolean", SERIALIZE, "false", true, "false"},
    {"Boolean", SERIALIZE, "null", false, "Boolean cannot represent a non boolean value: null"},
    {"Boolean", SERIALIZE, "[]", false, "Boolean cannot represent a non boolean value: []"},
    {"Boolean", SERIALIZE, "[1]", false, "Boolean cannot represent a non boolean value: [1]"},
    {"Boolean", SERIALIZE, "{}", false, "Boolean cannot represent a non boolean value: {}"},
    {"Boolean", SERIALIZE, "{\"a\":1}", false, "Boolean cannot represent a non boolean value: { a: 1 }"},
    {"Boolean", SERIALIZE, "{\"a\":{\"b\":{\"c\":1}}}", false,
     "Boolean cannot represent a non boolean value: { a: { b: [Object] } }"},
    {"Boolean", SERIALIZE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "Boolean cannot represent a non boolean value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"Boolean", SERIALIZE, "[[[[1]]]]", false, "Boolean cannot represent a non boolean value: [[[Array]]]"},
    {"Boolean", SERIALIZE, "\"x\\\"y\\n\"", false, "Boolean cannot represent a non boolean value: \"x\\\"y\\n\""},
    {"Boolean", PARSE_VALUE, "1", false, "Boolean cannot represent a non boolean value: 1"},
    {"Boolean", PARSE_VALUE, "-0", false, "Boolean cannot represent a non boolean value: 0"},
    {"Boolean", PARSE_VALUE, "1.0", false, "Boolean cannot represent a non boolean value: 1"},
    {"Boolean", PARSE_VALUE, "1.5", false, "Boolean cannot represent a non boolean value: 1.5"},
    {"Boolean", PARSE_VALUE, "3000000000", false, "Boolean cannot represent a non boolean value: 3000000000"},
    {"Boolean", PARSE_VALUE, "2147483647", false, "Boolean cannot represent a non boolean value: 2147483647"},
    {"Boolean", PARSE_VALUE, "2147483648", false, "Boolean cannot represent a non boolean value: 2147483648"},
    {"Boolean", PARSE_VALUE, "-2147483648", false, "Boolean cannot represent a non boolean value: -2147483648"},
    {"Boolean", PARSE_VALUE, "-2147483649", false, "Boolean cannot represent a non boolean value: -2147483649"},
    {"Boolean", PARSE_VALUE, "9007199254740993", false,
     "Boolean cannot represent a non boolean value: 9007199254740992"},
    {"Boolean", PARSE_VALUE, "1e300", false, "Boolean cannot represent a non boolean value: 1e+300"},
    {"Boolean", PARSE_VALUE, "1e-7", false, "Boolean cannot represent a non boolean value: 1e-7"},
    {"Boolean", PARSE_VALUE, "0.1", false, "Boolean cannot represent a non boolean value: 0.1"},
    {"Boolean", PARSE_VALUE, "1e21", false, "Boolean cannot represent a non boolean value: 1e+21"},
    {"Boolean", PARSE_VALUE, "\"12\"", false, "Boolean cannot represent a non boolean value: \"12\""},
    {"Boolean", PARSE_VALUE, "\" 12 \"", false, "Boolean cannot represent a non boolean value: \" 12 \""},
    {"Boolean", PARSE_VALUE, "\"\"", false, "Boolean cannot represent a non boolean value: \"\""},
    {"Boolean", PARSE_VALUE, "\"  \"", false, "Boolean cannot represent a non boolean value: \"  \""},
    {"Boolean", PARSE_VALUE, "\"0x10\"", false, "Boolean cannot represent a non boolean value: \"0x10\""},
    {"Boolean", PARSE_VALUE, "\"1e3\"", false, "Boolean cannot represent a non boolean value: \"1e3\""},
    {"Boolean", PARSE_VALUE, "\"1.5\"", false, "Boolean cannot represent a non boolean value: \"1.5\""},
    {"Boolean", PARSE_VALUE, "\"abc\"", false, "Boolean cannot represent a non boolean value: \"abc\""},
    {"Boolean", PARSE_VALUE, "\"Infinity\"", false, "Boolean cannot represent a non boolean value: \"Infinity\""},
    {"Boolean", PARSE_VALUE, "\"-0x10\"", false, "Boolean cannot represent a non boolean value: \"-0x10\""},
    {"Boolean", PARSE_VALUE, "\".5e1\"", false, "Boolean cannot represent a non boolean value: \".5e1\""},
    {"Boolean", PARSE_VALUE, "\"1e1000\"", false, "Boolean cannot represent a non boolean value: \"1e1000\""},
    {"Boolean", PARSE_VALUE, "true", true, "true"},
    {"Boolean", PARSE_VALUE, "false", true, "false"},
    {"Boolean", PARSE_VALUE, "null", false, "Boolean cannot represent a non boolean value: null"},
    {"Boolean", PARSE_VALUE, "[]", false, "Boolean cannot represent a non boolean value: []"},
    {"Boolean", PARSE_VALUE, "[1]", false, "Boolean cannot represent a non boolean value: [1]"},
    {"Boolean", PARSE_VALUE, "{}", false, "Boolean cannot represent a non boolean value: {}"},
    {"Boolean", PARSE_VALUE, "{\"a\":1}", false, "Boolean cannot represent a non boolean value: { a: 1 }"},
    {"Boolean", PARSE_VALUE, "{\"a\":{\"b\":{\"c\":1}}}", false,
     "Boolean cannot represent a non boolean value: { a: { b: [Object] } }"},
    {"Boolean", PARSE_VALUE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "Boolean cannot represent a non boolean value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"Boolean", PARSE_VALUE, "[[[[1]]]]", false, "Boolean cannot represent a non boolean value: [[[Array]]]"},
    {"Boolean", PARSE_VALUE, "\"x\\\"y\\n\"", false, "Boolean cannot represent a non boolean value: \"x\\\"y\\n\""},
    {"Boolean", PARSE_LITERAL, "1", false, "Boolean cannot represent a non boolean value: 1"},
    {"Boolean", PARSE_LITERAL, "-0", false, "Boolean cannot represent a non boolean value: -0"},
    {"Boolean", PARSE_LITERAL, "0", false, "Boolean cannot represent a non boolean value: 0"},
    {"Boolean", PARSE_LITERAL, "1.5", false, "Boolean cannot represent a non boolean value: 1.5"},
    {"Boolean", PARSE_LITERAL, "-1.5e3", false, "Boolean cannot represent a non boolean value: -1.5e3"},
    {"Boolean", PARSE_LITERAL, "1e1000", false, "Boolean cannot represent a non boolean value: 1e1000"},
    {"Boolean", PARSE_LITERAL, "2147483647", false, "Boolean cannot represent a non boolean value: 2147483647"},
    {"Boolean", PARSE_LITERAL, "2147483648", false, "Boolean cannot represent a non boolean value: 2147483648"},
    {"Boolean", PARSE_LITERAL, "-2147483648", false, "Boolean cannot represent a non boolean value: -2147483648"},
    {"Boolean", PARSE_LITERAL, "-2147483649", false, "Boolean cannot represent a non boolean value: -2147483649"},
    {"Boolean", PARSE_LITERAL, "99999999999999999999", false,
     "Boolean cannot represent a non boolean value: 99999999999999999999"},
    {"Boolean", PARSE_LITERAL, "\"abc\"", false, "Boolean cannot represent a non boolean value: \"abc\""},
    {"Boolean", PARSE_LITERAL, "\"1\"", false, "Boolean cannot represent a non boolean value: \"1\""},
    {"Boolean", PARSE_LITERAL, "\"\"", false, "Boolean cannot represent a non boolean value: \"\""},
    {"Boolean", PARSE_LITERAL, "\"\"\"block\"\"\"", false,
     "Boolean cannot represent a non boolean value: \"\"\"block\"\"\""},
    {"Boolean", PARSE_LITERAL, "\"\"\"a\\nb\"\"\"", false,
     "Boolean cannot represent a non boolean value: \"\"\"a\\nb\"\"\""},
    {"Boolean", PARSE_LITERAL, "\"\"\"  indented\"\"\"", false,
     "Boolean cannot represent a non boolean value: \"\"\"  indented\"\"\""},
    {"Boolean", PARSE_LITERAL, "\"x\\u0080\\n\\\"y\"", false,
     "Boolean cannot represent a non boolean value: \"x\\u0080\\n\\\"y\""},
    {"Boolean", PARSE_LITERAL, "true", true, "true"},
    {"Boolean", PARSE_LITERAL, "false", true, "false"},
    {"Boolean", PARSE_LITERAL, "null", false, "Boolean cannot represent a non boolean value: null"},
    {"Boolean", PARSE_LITERAL, "ENUM_VALUE", false, "Boolean cannot represent a non boolean value: ENUM_VALUE"},
    {"Boolean", PARSE_LITERAL, "[1, \"a\"]", false, "Boolean cannot represent a non boolean value: [1, \"a\"]"},
    {"Boolean", PARSE_LITERAL, "{a: 1, b: [true, null]}", false,
     "Boolean cannot represent a non boolean value: {a: 1, b: [true, null]}"},
    {"Boolean", PARSE_LITERAL, "[]", false, "Boolean cannot represent a non boolean value: []"},
    {"Boolean", PARSE_LITERAL, "{}", false, "Boolean cannot represent a non boolean value: {}"},
    {"Boolean", PARSE_LITERAL, "$var", false, "Boolean cannot represent a non boolean value: $var"},
    {"ID", SERIALIZE, "1", true, "\"1\""},
    {"ID", SERIALIZE, "-0", true, "\"0\""},
    {"ID", SERIALIZE, "1.0", true, "\"1\""},
    {"ID", SERIALIZE, "1.5", false, "ID cannot represent value: 1.5"},
    {"ID", SERIALIZE, "3000000000", true, "\"3000000000\""},
    {"ID", SERIALIZE, "2147483647", true, "\"2147483647\""},
    {"ID", SERIALIZE, "2147483648", true, "\"2147483648\""},
    {"ID", SERIALIZE, "-2147483648", true, "\"-2147483648\""},
    {"ID", SERIALIZE, "-2147483649", true, "\"-2147483649\""},
    {"ID", SERIALIZE, "9007199254740993", true, "\"9007199254740992\""},
    {"ID", SERIALIZE, "1e300", true, "\"1e+300\""},
    {"ID", SERIALIZE, "1e-7", false, "ID cannot represent value: 1e-7"},
    {"ID", SERIALIZE, "0.1", false, "ID cannot represent value: 0.1"},
    {"ID", SERIALIZE, "1e21", true, "\"1e+21\""},
    {"ID", SERIALIZE, "\"12\"", true, "\"12\""},
    {"ID", SERIALIZE, "\" 12 \"", true, "\" 12 \""},
    {"ID", SERIALIZE, "\"\"", true, "\"\""},
    {"ID", SERIALIZE, "\"  \"", true, "\"  \""},
    {"ID", SERIALIZE, "\"0x10\"", true, "\"0x10\""},
    {"ID", SERIALIZE, "\"1e3\"", true, "\"1e3\""},
    {"ID", SERIALIZE, "\"1.5\"", true, "\"1.5\""},
    {"ID", SERIALIZE, "\"abc\"", true, "\"abc\""},
    {"ID", SERIALIZE, "\"Infinity\"", true, "\"Infinity\""},
    {"ID", SERIALIZE, "\"-0x10\"", true, "\"-0x10\""},
    {"ID", SERIALIZE, "\".5e1\"", true, "\".5e1\""},
    {"ID", SERIALIZE, "\"1e1000\"", true, "\"1e1000\""},
    {"ID", SERIALIZE, "true", false, "ID cannot represent value: true"},
    {"ID", SERIALIZE, "false", false, "ID cannot represent value: false"},
    {"ID", SERIALIZE, "null", false, "ID cannot represent value: null"},
    {"ID", SERIALIZE, "[]", false, "ID cannot represent value: []"},
    {"ID", SERIALIZE, "[1]", false, "ID cannot represent value: [1]"},
    {"ID", SERIALIZE, "{}", false, "ID cannot represent value: {}"},
    {"ID", SERIALIZE, "{\"a\":1}", false, "ID cannot represent value: { a: 1 }"},
    {"ID", SERIALIZE, "{\"a\":{\"b\":{\"c\":1}}}", false, "ID cannot represent value: { a: { b: [Object] } }"},
    {"ID", SERIALIZE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "ID cannot represent value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"ID", SERIALIZE, "[[[[1]]]]", false, "ID cannot represent value: [[[Array]]]"},
    {"ID", SERIALIZE, "\"x\\\"y\\n\"", true, "\"x\\\"y\\n\""},
    {"ID", PARSE_VALUE, "1", true, "\"1\""},
    {"ID", PARSE_VALUE, "-0", true, "\"0\""},
    {"ID", PARSE_VALUE, "1.0", true, "\"1\""},
    {"ID", PARSE_VALUE, "1.5", false, "ID cannot represent value: 1.5"},
    {"ID", PARSE_VALUE, "3000000000", true, "\"3000000000\""},
    {"ID", PARSE_VALUE, "2147483647", true, "\"2147483647\""},
    {"ID", PARSE_VALUE, "2147483648", true, "\"2147483648\""},
    {"ID", PARSE_VALUE, "-2147483648", true, "\"-2147483648\""},
    {"ID", PARSE_VALUE, "-2147483649", true, "\"-2147483649\""},
    {"ID", PARSE_VALUE, "9007199254740993", true, "\"9007199254740992\""},
    {"ID", PARSE_VALUE, "1e300", true, "\"1e+300\""},
    {"ID", PARSE_VALUE, "1e-7", false, "ID cannot represent value: 1e-7"},
    {"ID", PARSE_VALUE, "0.1", false, "ID cannot represent value: 0.1"},
    {"ID", PARSE_VALUE, "1e21", true, "\"1e+21\""},
    {"ID", PARSE_VALUE, "\"12\"", true, "\"12\""},
    {"ID", PARSE_VALUE, "\" 12 \"", true, "\" 12 \""},
    {"ID", PARSE_VALUE, "\"\"", true, "\"\""},
    {"ID", PARSE_VALUE, "\"  \"", true, "\"  \""},
    {"ID", PARSE_VALUE, "\"0x10\"", true, "\"0x10\""},
    {"ID", PARSE_VALUE, "\"1e3\"", true, "\"1e3\""},
    {"ID", PARSE_VALUE, "\"1.5\"", true, "\"1.5\""},
    {"ID", PARSE_VALUE, "\"abc\"", true, "\"abc\""},
    {"ID", PARSE_VALUE, "\"Infinity\"", true, "\"Infinity\""},
    {"ID", PARSE_VALUE, "\"-0x10\"", true, "\"-0x10\""},
    {"ID", PARSE_VALUE, "\".5e1\"", true, "\".5e1\""},
    {"ID", PARSE_VALUE, "\"1e1000\"", true, "\"1e1000\""},
    {"ID", PARSE_VALUE, "true", false, "ID cannot represent value: true"},
    {"ID", PARSE_VALUE, "false", false, "ID cannot represent value: false"},
    {"ID", PARSE_VALUE, "null", false, "ID cannot represent value: null"},
    {"ID", PARSE_VALUE, "[]", false, "ID cannot represent value: []"},
    {"ID", PARSE_VALUE, "[1]", false, "ID cannot represent value: [1]"},
    {"ID", PARSE_VALUE, "{}", false, "ID cannot represent value: {}"},
    {"ID", PARSE_VALUE, "{\"a\":1}", false, "ID cannot represent value: { a: 1 }"},
    {"ID", PARSE_VALUE, "{\"a\":{\"b\":{\"c\":1}}}", false, "ID cannot represent value: { a: { b: [Object] } }"},
    {"ID", PARSE_VALUE, "[1,2,3,4,5,6,7,8,9,10,11,12]", false,
     "ID cannot represent value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"ID", PARSE_VALUE, "[[[[1]]]]", false, "ID cannot represent value: [[[Array]]]"},
    {"ID", PARSE_VALUE, "\"x\\\"y\\n\"", true, "\"x\\\"y\\n\""},
    {"ID", PARSE_LITERAL, "1", true, "\"1\""},
    {"ID", PARSE_LITERAL, "-0", true, "\"-0\""},
    {"ID", PARSE_LITERAL, "0", true, "\"0\""},
    {"ID", PARSE_LITERAL, "1.5", false, "ID cannot represent a non-string and non-integer value: 1.5"},
    {"ID", PARSE_LITERAL, "-1.5e3", false, "ID cannot represent a non-string and non-integer value: -1.5e3"},
    {"ID", PARSE_LITERAL, "1e1000", false, "ID cannot represent a non-string and non-integer value: 1e1000"},
    {"ID", PARSE_LITERAL, "2147483647", true, "\"2147483647\""},
    {"ID", PARSE_LITERAL, "2147483648", true, "\"2147483648\""},
    {"ID", PARSE_LITERAL, "-2147483648", true, "\"-2147483648\""},
    {"ID", PARSE_LITERAL, "-2147483649", true, "\"-2147483649\""},
    {"ID", PARSE_LITERAL, "99999999999999999999", true, "\"99999999999999999999\""},
    {"ID", PARSE_LITERAL, "\"abc\"", true, "\"abc\""},
    {"ID", PARSE_LITERAL, "\"1\"", true, "\"1\""},
    {"ID", PARSE_LITERAL, "\"\"", true, "\"\""},
    {"ID", PARSE_LITERAL, "\"\"\"block\"\"\"", true, "\"block\""},
    {"ID", PARSE_LITERAL, "\"\"\"a\\nb\"\"\"", true, "\"a\\\\nb\""},
    {"ID", PARSE_LITERAL, "\"\"\"  indented\"\"\"", true, "\"  indented\""},
    {"ID", PARSE_LITERAL, "\"x\\u0080\\n\\\"y\"", true, "\"x\\n\\\"y\""},
    {"ID", PARSE_LITERAL, "true", false, "ID cannot represent a non-string and non-integer value: true"},
    {"ID", PARSE_LITERAL, "false", false, "ID cannot represent a non-string and non-integer value: false"},
    {"ID", PARSE_LITERAL, "null", false, "ID cannot represent a non-string and non-integer value: null"},
    {"ID", PARSE_LITERAL, "ENUM_VALUE", false, "ID cannot represent a non-string and non-integer value: ENUM_VALUE"},
    {"ID", PARSE_LITERAL, "[1, \"a\"]", false, "ID cannot represent a non-string and non-integer value: [1, \"a\"]"},
    {"ID", PARSE_LITERAL, "{a: 1, b: [true, null]}", false,
     "ID cannot represent a non-string and non-integer value: {a: 1, b: [true, null]}"},
    {"ID", PARSE_LITERAL, "[]", false, "ID cannot represent a non-string and non-integer value: []"},
    {"ID", PARSE_LITERAL, "{}", false, "ID cannot represent a non-string and non-integer value: {}"},
    {"ID", PARSE_LITERAL, "$var", false, "ID cannot represent a non-string and non-integer value: $var"},
    {"Custom", SERIALIZE, "1", true, "1"},
    {"Custom", SERIALIZE, "-0", true, "0"},
    {"Custom", SERIALIZE, "1.0", true, "1"},
    {"Custom", SERIALIZE, "1.5", true, "1.5"},
    {"Custom", SERIALIZE, "3000000000", true, "3000000000"},
    {"Custom", SERIALIZE, "2147483647", true, "2147483647"},
    {"Custom", SERIALIZE, "2147483648", true, "2147483648"},
    {"Custom", SERIALIZE, "-2147483648", true, "-2147483648"},
    {"Custom", SERIALIZE, "-2147483649", true, "-2147483649"},
    {"Custom", SERIALIZE, "9007199254740993", true, "9007199254740992"},
    {"Custom", SERIALIZE, "1e300", true, "1e+300"},
    {"Custom", SERIALIZE, "1e-7", true, "1e-7"},
    {"Custom", SERIALIZE, "0.1", true, "0.1"},
    {"Custom", SERIALIZE, "1e21", true, "1e+21"},
    {"Custom", SERIALIZE, "\"12\"", true, "\"12\""},
    {"Custom", SERIALIZE, "\" 12 \"", true, "\" 12 \""},
    {"Custom", SERIALIZE, "\"\"", true, "\"\""},
    {"Custom", SERIALIZE, "\"  \"", true, "\"  \""},
    {"Custom", SERIALIZE, "\"0x10\"", true, "\"0x10\""},
    {"Custom", SERIALIZE, "\"1e3\"", true, "\"1e3\""},
    {"Custom", SERIALIZE, "\"1.5\"", true, "\"1.5\""},
    {"Custom", SERIALIZE, "\"abc\"", true, "\"abc\""},
    {"Custom", SERIALIZE, "\"Infinity\"", true, "\"Infinity\""},
    {"Custom", SERIALIZE, "\"-0x10\"", true, "\"-0x10\""},
    {"Custom", SERIALIZE, "\".5e1\"", true, "\".5e1\""},
    {"Custom", SERIALIZE, "\"1e1000\"", true, "\"1e1000\""},
    {"Custom", SERIALIZE, "true", true, "true"},
    {"Custom", SERIALIZE, "false", true, "false"},
    {"Custom", SERIALIZE, "null", true, "null"},
    {"Custom", SERIALIZE, "[]", true, "[]"},
    {"Custom", SERIALIZE, "[1]", true, "[1]"},
    {"Custom", SERIALIZE, "{}", true, "{}"},
    {"Custom", SERIALIZE, "{\"a\":1}", true, "{\"a\":1}"},
    {"Custom", SERIALIZE, "{\"a\":{\"b\":{\"c\":1}}}", true, "{\"a\":{\"b\":{\"c\":1}}}"},
    {"Custom", SERIALIZE, "[1,2,3,4,5,6,7,8,9,10,11,12]", true, "[1,2,3,4,5,6,7,8,9,10,11,12]"},
    {"Custom", SERIALIZE, "[[[[1]]]]", true, "[[[[1]]]]"},
    {"Custom", SERIALIZE, "\"x\\\"y\\n\"", true, "\"x\\\"y\\n\""},
    {"Custom", PARSE_VALUE, "1", true, "1"},
    {"Custom", PARSE_VALUE, "-0", true, "0"},
    {"Custom", PARSE_VALUE, "1.0", true, "1"},
    {"Custom", PARSE_VALUE, "1.5", true, "1.5"},
    {"Custom", PARSE_VALUE, "3000000000", true, "3000000000"},
    {"Custom", PARSE_VALUE, "2147483647", true, "2147483647"},
    {"Custom", PARSE_VALUE, "2147483648", true, "2147483648"},
    {"Custom", PARSE_VALUE, "-2147483648", true, "-2147483648"},
    {"Custom", PARSE_VALUE, "-2147483649", true, "-2147483649"},
    {"Custom", PARSE_VALUE, "9007199254740993", true, "9007199254740992"},
    {"Custom", PARSE_VALUE, "1e300", true, "1e+300"},
    {"Custom", PARSE_VALUE, "1e-7", true, "1e-7"},
    {"Custom", PARSE_VALUE, "0.1", true, "0.1"},
    {"Custom", PARSE_VALUE, "1e21", true, "1e+21"},
    {"Custom", PARSE_VALUE, "\"12\"", true, "\"12\""},
    {"Custom", PARSE_VALUE, "\" 12 \"", true, "\" 12 \""},
    {"Custom", PARSE_VALUE, "\"\"", true, "\"\""},
    {"Custom", PARSE_VALUE, "\"  \"", true, "\"  \""},
    {"Custom", PARSE_VALUE, "\"0x10\"", true, "\"0x10\""},
    {"Custom", PARSE_VALUE, "\"1e3\"", true, "\"1e3\""},
    {"Custom", PARSE_VALUE, "\"1.5\"", true, "\"1.5\""},
    {"Custom", PARSE_VALUE, "\"abc\"", true, "\"abc\""},
    {"Custom", PARSE_VALUE, "\"Infinity\"", true, "\"Infinity\""},
    {"Custom", PARSE_VALUE, "\"-0x10\"", true, "\"-0x10\""},
    {"Custom", PARSE_VALUE, "\".5e1\"", true, "\".5e1\""},
    {"Custom", PARSE_VALUE, "\"1e1000\"", true, "\"1e1000\""},
    {"Custom", PARSE_VALUE, "true", true, "true"},
    {"Custom", PARSE_VALUE, "false", true, "false"},
    {"Custom", PARSE_VALUE, "null", true, "null"},
    {"Custom", PARSE_VALUE, "[]", true, "[]"},
    {"Custom", PARSE_VALUE, "[1]", true, "[1]"},
    {"Custom", PARSE_VALUE, "{}", true, "{}"},
    {"Custom", PARSE_VALUE, "{\"a\":1}", true, "{\"a\":1}"},
    {"Custom", PARSE_VALUE, "{\"a\":{\"b\":{\"c\":1}}}", true, "{\"a\":{\"b\":{\"c\":1}}}"},
    {"Custom", PARSE_VALUE, "[1,2,3,4,5,6,7,8,9,10,11,12]", true, "[1,2,3,4,5,6,7,8,9,10,11,12]"},
    {"Custom", PARSE_VALUE, "[[[[1]]]]", true, "[[[[1]]]]"},
    {"Custom", PARSE_VALUE, "\"x\\\"y\\n\"", true, "\"x\\\"y\\n\""},
    {"Custom", PARSE_LITERAL, "1", true, "1"},
    {"Custom", PARSE_LITERAL, "-0", true, "0"},
    {"Custom", PARSE_LITERAL, "0", true, "0"},
    {"Custom", PARSE_LITERAL, "1.5", true, "1.5"},
    {"Custom", PARSE_LITERAL, "-1.5e3", true, "-1500"},
    {"Custom", PARSE_LITERAL, "1e1000", true, "null"},
    {"Custom", PARSE_LITERAL, "2147483647", true, "2147483647"},
    {"Custom", PARSE_LITERAL, "2147483648", true, "2147483648"},
    {"Custom", PARSE_LITERAL, "-2147483648", true, "-2147483648"},
    {"Custom", PARSE_LITERAL, "-2147483649", true, "-2147483649"},
    {"Custom", PARSE_LITERAL, "99999999999999999999", true, "100000000000000000000"},
    {"Custom", PARSE_LITERAL, "\"abc\"", true, "\"abc\""},
    {"Custom", PARSE_LITERAL, "\"1\"", true, "\"1\""},
    {"Custom", PARSE_LITERAL, "\"\"", true, "\"\""},
    {"Custom", PARSE_LITERAL, "\"\"\"block\"\"\"", true, "\"block\""},
    {"Custom", PARSE_LITERAL, "\"\"\"a\\nb\"\"\"", true, "\"a\\\\nb\""},
    {"Custom", PARSE_LITERAL, "\"\"\"  indented\"\"\"", true, "\"  indented\""},
    {"Custom", PARSE_LITERAL, "\"x\\u0080\\n\\\"y\"", true, "\"x\\n\\\"y\""},
    {"Custom", PARSE_LITERAL, "true", true, "true"},
    {"Custom", PARSE_LITERAL, "false", true, "false"},
    {"Custom", PARSE_LITERAL, "null", true, "null"},
    {"Custom", PARSE_LITERAL, "ENUM_VALUE", true, "\"ENUM_VALUE\""},
    {"Custom", PARSE_LITERAL, "[1, \"a\"]", true, "[1,\"a\"]"},
    {"Custom", PARSE_LITERAL, "{a: 1, b: [true, null]}", true, "{\"a\":1,\"b\":[true,null]}"},
    {"Custom", PARSE_LITERAL, "[]", true, "[]"},
    {"Custom", PARSE_LITERAL, "{}", true, "{}"},
    {"Custom", PARSE_LITERAL, "$var", true, "undefined"},
};

static const gg_scalar_ops *ops_named(const char *name)
{
    return strcmp(name, "Custom") == 0 ? &gg_scalar_custom_ops : gg_scalar_find_builtin(name);
}

/* The JSON of a result, with graphql-js's undefined shown as such. */
static const char *result_text(gg_arena *arena, const gg_val *v)
{
    if (v != NULL && v->kind == GG_VAL_UNDEFINED) return "undefined";
    gg_buf b;
    gg_buf_init(&b);
    gg_val_write_json(&b, v);
    const char *s = gg_arena_strdup(arena, b.data);
    gg_buf_free(&b);
    return s;
}

/* Runs one case; returns "ok: <json>" or "error: <message>" (or why it could not run). */
static const char *run_case(gg_arena *arena, const struct oracle_case *c)
{
    static const char *const path_names[] = {"serialize", "parse_value", "parse_literal"};
    const gg_scalar_ops *ops = ops_named(c->scalar);
    gg_val *out = NULL;
    gg_fault error = {0};
    bool ok;
    if (ops == NULL) return "no such scalar";
    if (c->path == PARSE_LITERAL) {
        gg_error_list errors;
        gg_error_list_init(&errors, arena);
        gg_value *literal = gg_parse_value(arena, c->input, strlen(c->input), &errors);
        if (literal == NULL) return "literal does not parse";
        ok = ops->parse_literal(arena, literal, &out, &error);
    } else {
        gg_val *in;
        if (!gg_scalar_parse_json(arena, c->input, strlen(c->input), &in)) return "input is not JSON";
        ok = (c->path == SERIALIZE ? ops->serialize : ops->parse_value)(arena, in, &out, &error);
    }
    return gg_arena_printf(arena, "%s %s %s -> %s: %s", c->scalar, path_names[c->path], c->input, ok ? "ok" : "error",
                           ok ? result_text(arena, out) : error.message);
}

static void test_oracle_table(void)
{
    static const char *const path_names[] = {"serialize", "parse_value", "parse_literal"};
    gg_arena arena;
    gg_arena_init(&arena);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct oracle_case *c = &cases[i];
        const char *expected = gg_arena_printf(&arena, "%s %s %s -> %s: %s", c->scalar, path_names[c->path], c->input,
                                               c->ok ? "ok" : "error", c->expected);
        CHECK_STR(run_case(&arena, c), expected);
    }
    gg_arena_free(&arena);
}

/* ---- values JSON cannot carry ---- */

/* Calls one path and returns the error message, or "ok: <json>". */
static const char *coerce(gg_arena *arena, const char *scalar, enum path path, const gg_val *in)
{
    const gg_scalar_ops *ops = ops_named(scalar);
    gg_val *out = NULL;
    gg_fault error = {0};
    bool ok = (path == SERIALIZE ? ops->serialize : ops->parse_value)(arena, in, &out, &error);
    return ok ? gg_arena_printf(arena, "ok: %s", result_text(arena, out)) : error.message;
}

static gg_val *raw(gg_arena *arena, const char *json)
{
    gg_val *v = gg_val_new(arena, GG_VAL_RAW);
    v->s = json;
    v->len = strlen(json);
    return v;
}

static void test_non_finite_numbers(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_val *nan = gg_val_float(&a, NAN), *inf = gg_val_float(&a, INFINITY), *ninf = gg_val_float(&a, -INFINITY);
    CHECK_STR(coerce(&a, "Int", SERIALIZE, nan), "Int cannot represent non-integer value: NaN");
    CHECK_STR(coerce(&a, "Int", SERIALIZE, inf), "Int cannot represent non-integer value: Infinity");
    CHECK_STR(coerce(&a, "Int", PARSE_VALUE, ninf), "Int cannot represent non-integer value: -Infinity");
    CHECK_STR(coerce(&a, "Float", SERIALIZE, nan), "Float cannot represent non numeric value: NaN");
    CHECK_STR(coerce(&a, "Float", PARSE_VALUE, inf), "Float cannot represent non numeric value: Infinity");
    CHECK_STR(coerce(&a, "String", SERIALIZE, nan), "String cannot represent value: NaN");
    CHECK_STR(coerce(&a, "String", SERIALIZE, ninf), "String cannot represent value: -Infinity");
    CHECK_STR(coerce(&a, "Boolean", SERIALIZE, inf), "Boolean cannot represent a non boolean value: Infinity");
    CHECK_STR(coerce(&a, "ID", SERIALIZE, inf), "ID cannot represent value: Infinity");
    CHECK_STR(coerce(&a, "ID", PARSE_VALUE, nan), "ID cannot represent value: NaN");
    gg_arena_free(&a);
}

static void test_undefined_and_null_pointer(void)
{
    gg_arena a;
    gg_arena_init(&a);
    CHECK_STR(coerce(&a, "Int", SERIALIZE, &gg_val_undefined_value),
              "Int cannot represent non-integer value: undefined");
    CHECK_STR(coerce(&a, "String", PARSE_VALUE, &gg_val_undefined_value),
              "String cannot represent a non string value: undefined");
    CHECK_STR(coerce(&a, "Boolean", PARSE_VALUE, NULL), "Boolean cannot represent a non boolean value: null");
    CHECK_STR(coerce(&a, "ID", SERIALIZE, NULL), "ID cannot represent value: null");
    CHECK_STR(coerce(&a, "Custom", SERIALIZE, NULL), "ok: null");
    CHECK_STR(coerce(&a, "Custom", PARSE_VALUE, &gg_val_undefined_value), "ok: undefined");
    gg_arena_free(&a);
}

/* RAW JSON from a data source is coerced as the value it holds; ENUM values behave as strings. */
static void test_raw_and_enum_values(void)
{
    gg_arena a;
    gg_arena_init(&a);
    CHECK_STR(coerce(&a, "Int", SERIALIZE, raw(&a, "42")), "ok: 42");
    CHECK_STR(coerce(&a, "Float", SERIALIZE, raw(&a, " 2.5 ")), "ok: 2.5");
    CHECK_STR(coerce(&a, "String", SERIALIZE, raw(&a, "\"x\"")), "ok: \"x\"");
    CHECK_STR(coerce(&a, "String", SERIALIZE, raw(&a, "{\"a\":[1,2]}")),
              "String cannot represent value: { a: [1, 2] }");
    CHECK_STR(coerce(&a, "Boolean", SERIALIZE, raw(&a, "false")), "ok: false");
    CHECK_STR(coerce(&a, "ID", SERIALIZE, raw(&a, "7")), "ok: \"7\"");
    CHECK_STR(coerce(&a, "Custom", SERIALIZE, raw(&a, "{\"a\":1}")), "ok: {\"a\":1}");
    CHECK_STR(coerce(&a, "String", SERIALIZE, gg_val_enum(&a, "RED")), "ok: \"RED\"");
    CHECK_STR(coerce(&a, "Int", SERIALIZE, gg_val_enum(&a, "RED")), "Int cannot represent non-integer value: \"RED\"");
    gg_arena_free(&a);
}

/* 64-bit integers keep every digit (JavaScript would round them; nothing in GraphQL needs that). */
static void test_wide_integers(void)
{
    gg_arena a;
    gg_arena_init(&a);
    CHECK_STR(coerce(&a, "ID", SERIALIZE, gg_val_int(&a, 9007199254740993)), "ok: \"9007199254740993\"");
    CHECK_STR(coerce(&a, "String", SERIALIZE, gg_val_int(&a, INT64_MIN)), "ok: \"-9223372036854775808\"");
    CHECK_STR(coerce(&a, "Int", PARSE_VALUE, gg_val_int(&a, INT64_MAX)),
              "Int cannot represent non 32-bit signed integer value: 9223372036854775807");
    CHECK_STR(coerce(&a, "Float", PARSE_VALUE, gg_val_int(&a, 3)), "ok: 3");
    gg_arena_free(&a);
}

static double js_number(const char *s)
{
    double d;
    return gg_js_string_to_number(s, strlen(s), &d) ? d : NAN;
}

/* Number(string) as JavaScript defines it (ECMA-262 StringToNumber). */
static void test_js_string_to_number(void)
{
    CHECK(js_number("12") == 12);
    CHECK(js_number("\t 12 \n") == 12);
    CHECK(js_number("\xC2\xA0"
                    "12\xE2\x80\xA8") == 12); /* U+00A0 and U+2028 are white space too */
    CHECK(js_number("\xEF\xBB\xBF"
                    "7") == 7); /* so is U+FEFF */
    CHECK(js_number("") == 0);
    CHECK(js_number("   ") == 0);
    CHECK(js_number("+5") == 5);
    CHECK(js_number("-5.") == -5);
    CHECK(js_number(".5") == 0.5);
    CHECK(js_number("1E3") == 1000);
    CHECK(js_number("0x1F") == 31);
    CHECK(js_number("0b101") == 5);
    CHECK(js_number("0O17") == 15);
    CHECK(js_number("-Infinity") == -INFINITY);
    CHECK(js_number("1e1000") == INFINITY);
    CHECK(isnan(js_number("infinity")));
    CHECK(isnan(js_number("+0x10")));
    CHECK(isnan(js_number("0x")));
    CHECK(isnan(js_number("0b102")));
    CHECK(isnan(js_number("1e")));
    CHECK(isnan(js_number("e5")));
    CHECK(isnan(js_number(".")));
    CHECK(isnan(js_number("1 2")));
    CHECK(isnan(js_number("NaN")));
    CHECK(isnan(js_number("1_000")));
}

/* inspect() and print() on their own (the table covers them through messages too). */
static void test_printers(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_val *obj = gg_val_object(&a, 0);
    gg_val_object_set(&a, obj, "k", gg_val_string(&a, "a\"b", 3));
    gg_val *list = gg_val_list(&a, 0);
    gg_val_list_push(&a, list, obj);
    gg_val_list_push(&a, list, gg_val_float(&a, -0.0));
    gg_val_list_push(&a, list, &gg_val_null_value);
    gg_val_list_push(&a, list, NULL);
    CHECK_STR(gg_scalar_inspect(&a, list), "[{ k: \"a\\\"b\" }, 0, null, null]");
    CHECK_STR(gg_scalar_inspect(&a, gg_val_float(&a, 1e21)), "1e+21");
    CHECK_STR(gg_scalar_inspect(&a, gg_val_float(&a, 123e-20)), "1.23e-18");

    gg_error_list errors;
    gg_error_list_init(&errors, &a);
    const char *src = "{a: [1, 2.5e3, \"\\u007F\\u0000\\t\"], b: {c: RED, d: $v}}";
    gg_value *v = gg_parse_value(&a, src, strlen(src), &errors);
    CHECK(v != NULL);
    if (v != NULL)
        CHECK_STR(gg_scalar_print_literal(&a, v), "{a: [1, 2.5e3, \"\\u007F\\u0000\\t\"], b: {c: RED, d: $v}}");
    /* block strings print as graphql-js printBlockString does */
    static const struct {
        const char *value, *printed;
    } blocks[] = {
        {"say \"hi\"", "\"\"\"\nsay \"hi\"\n\"\"\""},
        {"a\"\"\"b", "\"\"\"a\\\"\"\"b\"\"\""},
        {" x\n  y", "\"\"\"\n x\n  y\n\"\"\""},
        {"plain", "\"\"\"plain\"\"\""},
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        gg_value block = {
            .kind = GG_VALUE_STRING, .block = true, .text = blocks[i].value, .len = strlen(blocks[i].value)};
        CHECK_STR(gg_scalar_print_literal(&a, &block), blocks[i].printed);
    }
    gg_arena_free(&a);
}

static void test_find_builtin(void)
{
    const char *names[] = {"Int",         "Float",        "String",   "Boolean", "ID",     "AWSDate",  "AWSTime",
                           "AWSDateTime", "AWSTimestamp", "AWSEmail", "AWSJSON", "AWSURL", "AWSPhone", "AWSIPAddress"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const gg_scalar_ops *ops = gg_scalar_find_builtin(names[i]);
        CHECK(ops != NULL && ops->serialize && ops->parse_value && ops->parse_literal);
    }
    CHECK(gg_scalar_find_builtin("int") == NULL);
    CHECK(gg_scalar_find_builtin("AWSFoo") == NULL);
    CHECK(gg_scalar_find_builtin("") == NULL);
    CHECK(gg_scalar_find_builtin(NULL) == NULL);
    CHECK(gg_scalar_find_aws("Int") == NULL);
    CHECK(gg_scalar_find_builtin("Int") != gg_scalar_find_builtin("Float"));
}

/* gg_scalar_ops.keeps is a promise the executor's row writer relies on instead of calling
 * serialize: every value it names comes back as it is (the same value, no error), and the scalars
 * that convert such values do not claim it. */
static void test_keeps(void)
{
    gg_arena a;
    gg_arena_init(&a);
    const char *names[] = {"Int",         "Float",        "String",   "Boolean", "ID",     "AWSDate",  "AWSTime",
                           "AWSDateTime", "AWSTimestamp", "AWSEmail", "AWSJSON", "AWSURL", "AWSPhone", "AWSIPAddress"};
    const char *strings[] = {"", "a", "x\"y\\z\n", "12", "2001-01-01", "\xc3\xa9"};
    const int64_t ints32[] = {INT32_MIN, -1, 0, 1, INT32_MAX};
    const int64_t ints[] = {INT64_MIN, (int64_t)INT32_MIN - 1, 0, (int64_t)INT32_MAX + 1, 1700000000000, INT64_MAX};
    unsigned promised = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        test_current = names[i];
        const gg_scalar_ops *ops = gg_scalar_find_builtin(names[i]);
        CHECK(ops != NULL);
        if (ops == NULL) continue;
        for (size_t k = 0; (ops->keeps & GG_SCALAR_KEEPS_STRING) && k < sizeof strings / sizeof strings[0]; k++) {
            gg_val in = {.kind = GG_VAL_STRING, .s = strings[k], .len = strlen(strings[k])}, *out = NULL;
            gg_fault fault = {0};
            CHECK(ops->serialize(&a, &in, &out, &fault) && out == &in);
            promised++;
        }
        for (size_t k = 0; (ops->keeps & GG_SCALAR_KEEPS_INT32) && k < sizeof ints32 / sizeof ints32[0]; k++) {
            gg_val in = {.kind = GG_VAL_INT, .i = ints32[k]}, *out = NULL;
            gg_fault fault = {0};
            CHECK(ops->serialize(&a, &in, &out, &fault) && out == &in);
            promised++;
        }
        for (size_t k = 0; (ops->keeps & GG_SCALAR_KEEPS_INT) && k < sizeof ints / sizeof ints[0]; k++) {
            gg_val in = {.kind = GG_VAL_INT, .i = ints[k]}, *out = NULL;
            gg_fault fault = {0};
            CHECK(ops->serialize(&a, &in, &out, &fault) && out == &in);
            promised++;
        }
    }
    test_current = "keeps";
    CHECK(promised == 2 * 6 + 5 + 6); /* String and ID (strings), Int (32 bits), AWSTimestamp (every INT) */
    CHECK(gg_scalar_find_builtin("Int")->keeps == GG_SCALAR_KEEPS_INT32); /* 2^31 is an error */
    CHECK(gg_scalar_find_builtin("Float")->keeps == 0);                   /* an INT becomes a FLOAT */
    CHECK(gg_scalar_find_builtin("AWSDateTime")->keeps == 0);             /* its strings are checked */
    gg_arena_free(&a);
}

int main(void)
{
    RUN(test_oracle_table);
    RUN(test_non_finite_numbers);
    RUN(test_undefined_and_null_pointer);
    RUN(test_raw_and_enum_values);
    RUN(test_wide_integers);
    RUN(test_js_string_to_number);
    RUN(test_printers);
    RUN(test_find_builtin);
    RUN(test_keeps);
    return test_summary();
}
