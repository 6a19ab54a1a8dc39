// gen_rules.mjs: regenerates schema.inc and the generated rule tests (../<rule>.c) from cases.mjs, with the
// expected errors printed by graphql-js (the pinned oracle in the repository's node_modules).
// Usage, from the repository root: node tests/unit/graphql/validate/oracle/gen_rules.mjs
import { buildSchema, parse, validate, specifiedRules } from 'graphql';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out_dir = path.join(here, '..');
const cases = (await import('./cases.mjs')).default;
const sdl = fs.readFileSync(path.join(here, 'schema.graphql'), 'utf8');
let inc = '/* schema.inc: the schema the validation rule tests share (Pets, Humans, Aliens; interfaces, unions,\n * an enum, an input object, a custom scalar and a few directives). */\nstatic const char TEST_SCHEMA[] =\n';
for (const l of sdl.trimEnd().split('\n')) inc += '    ' + JSON.stringify(l + '\n') + '\n';
fs.writeFileSync(path.join(out_dir, 'schema.inc'), inc + '    ;\n');
const schema = buildSchema(sdl);
const c = (s) => JSON.stringify(s);
for (const [rule, spec] of Object.entries(cases)) {
  const snake = rule.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const ruleFn = specifiedRules.find((r) => r.name === rule + 'Rule');
  let out = `/* ${snake}.c: tests of the ${rule} rule (server/graphql/validate/${snake}.c).\n *\n` +
    ` * Valid and invalid documents against the shared test schema; every expected message and\n` +
    ` * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */\n` +
    `#include "test.h"\n\n#include "harness.h"\n#include "schema.inc"\n\n`;
  const fns = [];
  for (const [group, docs] of Object.entries(spec)) {
    let body = `static void test_${group}(void)\n{\n`;
    for (const item of docs) {
      const doc = typeof item === 'string' ? item : item.doc;
      const hide = typeof item === 'object' && item.hide;
      const errs = validate(schema, parse(doc), [ruleFn], { hideSuggestions: !!hide });
      const json = JSON.stringify(errs.map((e) => e.toJSON()));
      if (group.startsWith('valid') && errs.length) throw new Error(`${rule}: expected valid: ${doc} ${json}`);
      if (group.startsWith('invalid') && !errs.length) throw new Error(`${rule}: expected errors: ${doc}`);
      if (hide) body += `    VT_CHECK_OPTS(TEST_SCHEMA, ${c(doc)}, &gg_rule_${snake}, &(gg_validate_options){.no_suggestions = true},\n                  ${c(json)});\n`;
      else body += `    VT_CHECK(TEST_SCHEMA, ${c(doc)}, &gg_rule_${snake},\n             ${c(json)});\n`;
    }
    body += '}\n';
    out += body + '\n';
    fns.push(group);
  }
  out += 'int main(void)\n{\n' + fns.map((f) => `    RUN(test_${f});\n`).join('') + '    return test_summary();\n}\n';
  fs.writeFileSync(path.join(out_dir, `${snake}.c`), out);
  console.log('wrote', snake);
}
