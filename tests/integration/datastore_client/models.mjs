// models.mjs: what `amplify codegen models` writes for a JavaScript app (models/index.js,
// models/schema.js: the model introspection schema DataStore's initSchema takes), made from an SDL
// text by Amplify's own generator (npm @aws-amplify/appsync-modelgen-plugin, through the preset
// the CLI and @aws-amplify/graphql-generator use), never by hand.
//
// The generator is reached through @aws-amplify/graphql-generator's own dependencies: it is built
// against graphql 15 while this repository's graphql is 16, and a schema made by one cannot be read
// by the other (graphql-js refuses objects of "another realm"); so the schema is built with the
// generator's graphql and handed to the plugin directly, as its codegen would.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const generator = createRequire(createRequire(import.meta.url).resolve('@aws-amplify/graphql-generator'));
const graphql = generator('graphql');
const modelgen = generator('@aws-amplify/appsync-modelgen-plugin');
const { DefaultDirectives } = generator('@aws-amplify/graphql-directives');

const directives = DefaultDirectives.map((d) => d.definition).join('\n');
const scalars = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress']
  .map((s) => `scalar ${s}`)
  .join('\n');

// Writes the models of sdl into dir/models/ (index.js, schema.js and their .d.ts); returns that path.
export function writeModels(sdl, dir) {
  const sections = modelgen.presetSync.buildGeneratesSection({
    schema: graphql.parse(sdl),
    baseOutputDir: '',
    documents: [],
    plugins: [{ appSyncLocalCodeGen: {} }],
    pluginMap: { appSyncLocalCodeGen: modelgen },
    presetConfig: { overrideOutputDir: '', target: 'javascript' },
    // The CLI's settings for a Gen 1 app on transformer v2 with DataStore on (`amplify codegen models`).
    config: {
      target: 'javascript',
      directives,
      isDataStoreEnabled: true,
      isTimestampFieldsAdded: true,
      emitAuthProvider: true,
      generateIndexRules: true,
      handleListNullabilityTransparently: true,
      usePipelinedTransformer: true,
      transformerVersion: 2,
      respectPrimaryKeyAttributesOnConnectionField: true,
      improvePluralization: false,
      generateModelsForLazyLoadAndCustomSelectionSet: true,
      codegenVersion: modelgen.version || 'graphgate-tests',
      overrideOutputDir: '',
    },
  });
  const out = join(dir, 'models');
  mkdirSync(out, { recursive: true });
  for (const section of sections) {
    const schema = graphql.buildASTSchema(graphql.concatAST([graphql.parse(`${directives}\n${scalars}`), section.schema]), {
      assumeValidSDL: true,
    });
    writeFileSync(join(out, section.filename), modelgen.pluginSync(schema, [], section.config));
  }
  return out;
}
