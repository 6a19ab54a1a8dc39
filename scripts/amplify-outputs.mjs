#!/usr/bin/env node
// amplify-outputs.mjs: writes the amplify_outputs.json an Amplify app (Gen 2's typed data client,
// `generateClient()` and `client.models.*`) needs to talk to a graphgate API: the endpoint, the
// region, the authorization modes, the API key when given, and `data.model_introspection`, the
// description of the models from which the client builds its GraphQL operations.
//
//   node scripts/amplify-outputs.mjs -c graphgate.json --url https://api.example.com/graphql \
//        [--api-key KEY | --api-key-file FILE] [--region us-east-1] [-o amplify_outputs.json]
//   node scripts/amplify-outputs.mjs --schema schema.graphql [--schema more.graphql] --url ... \
//        [--auth API_KEY] [--additional-auth OPENID_CONNECT,...]
//
// With -c the schema files and the auth modes come from graphgate's configuration file (`schema`,
// `auth.default_mode`, `auth.additional_modes`; not from GRAPHGATE_* variables: name them with
// --auth and --additional-auth then). The region is only echoed to the client (graphgate has none).
//
// The model introspection is made by Amplify's own generator (npm @aws-amplify/appsync-modelgen-
// plugin, target "introspection"), as the Amplify CLI and Gen 2's backend make it. It is reached
// through the dependencies of @aws-amplify/graphql-generator: that package and the plugin are
// built against graphql 15, while this repository's graphql is 16, and npm hoisted the generator's
// @graphql-codegen/core and @graphql-tools/* next to graphql 16, so the generator's own
// generateModels() mixes the two copies and fails ("Cannot use GraphQLScalarType from another
// module or realm"). Here the schema is parsed and built with the generator's graphql and handed
// to the plugin directly, which is what generateModels() does minus @graphql-codegen/core.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const generator = createRequire(createRequire(import.meta.url).resolve('@aws-amplify/graphql-generator'));
const graphql = generator('graphql');
const modelgen = generator('@aws-amplify/appsync-modelgen-plugin');
const { DefaultDirectives } = generator('@aws-amplify/graphql-directives');

const DIRECTIVES = DefaultDirectives.map((d) => d.definition).join('\n');
const SCALARS = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress']
  .map((s) => `scalar ${s}`)
  .join('\n');
// The auth modes of graphgate (auth.default_mode), which are AppSync's names, as amplify_outputs.json spells them.
// NONE has no name there (Amplify would sign with IAM): such an app calls generateClient({ authMode: 'none' }).
const AUTH_MODES = ['API_KEY', 'AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA', 'AWS_IAM'];

// Runs Amplify's model generator over an Amplify SDL text (the schema as written, with @model,
// @auth, @hasMany, ...: not graphgate's --print-schema output) for target ('introspection',
// 'javascript', 'typescript', ...) with the Amplify CLI's settings for transformer v2, changed by
// `settings` (e.g. { isDataStoreEnabled: true }); returns { filename: text } of the files it writes.
export function generateModelFiles(sdl, target, settings = {}) {
  const config = {
    target,
    directives: DIRECTIVES,
    isDataStoreEnabled: false,
    isTimestampFieldsAdded: true,
    emitAuthProvider: true,
    generateIndexRules: true,
    handleListNullabilityTransparently: true,
    usePipelinedTransformer: true,
    transformerVersion: 2,
    respectPrimaryKeyAttributesOnConnectionField: true,
    improvePluralization: false,
    generateModelsForLazyLoadAndCustomSelectionSet: true,
    codegenVersion: modelgen.version || 'graphgate',
    overrideOutputDir: '',
    ...settings,
  };
  const sections = modelgen.presetSync.buildGeneratesSection({
    schema: graphql.parse(sdl),
    baseOutputDir: '',
    documents: [],
    plugins: [{ appSyncLocalCodeGen: {} }],
    pluginMap: { appSyncLocalCodeGen: modelgen },
    presetConfig: { overrideOutputDir: '', target },
    config,
  });
  const files = {};
  for (const section of sections) {
    const schema = graphql.buildASTSchema(graphql.concatAST([graphql.parse(`${DIRECTIVES}\n${SCALARS}`), section.schema]), {
      assumeValidSDL: true,
    });
    files[section.filename] = modelgen.pluginSync(schema, [], section.config);
  }
  return files;
}

// The model introspection document (data.model_introspection) of an Amplify SDL text.
export function modelIntrospection(sdl) {
  return JSON.parse(generateModelFiles(sdl, 'introspection')['model-introspection.json']);
}

// amplify_outputs.json for the API at url: { sdl, url, region, defaultAuth, additionalAuth, apiKey }.
export function amplifyOutputs({ sdl, url, region = 'us-east-1', defaultAuth = 'API_KEY', additionalAuth = [], apiKey }) {
  for (const mode of [defaultAuth, ...additionalAuth]) {
    if (mode === 'NONE') {
      throw new Error("amplify_outputs.json has no mode NONE: name another with --auth and call generateClient({ authMode: 'none' })");
    }
    if (!AUTH_MODES.includes(mode)) throw new Error(`unknown auth mode ${mode} (one of ${AUTH_MODES.join(', ')})`);
  }
  const data = {
    url,
    aws_region: region,
    default_authorization_type: defaultAuth,
    authorization_types: additionalAuth.filter((m) => m !== defaultAuth),
    model_introspection: modelIntrospection(sdl),
  };
  if (apiKey) data.api_key = apiKey;
  return { version: '1.4', data };
}

// The first key of an API key file of graphgate's (keys split by commas and lines, `#` comment
// lines, `key@2027-01-31T00:00:00Z` for a key that expires) that has not expired.
function firstLiveKey(text) {
  const keys = text.split('\n').filter((l) => !l.trimStart().startsWith('#')).join(',').split(',').map((k) => k.trim()).filter(Boolean);
  for (const entry of keys) {
    const m = /^(.*)@(\d{4}-\d\d-\d\dT[^@]*)$/.exec(entry);
    if (!m) return entry;
    if (Date.parse(m[2]) > Date.now()) return m[1];
  }
  throw new Error('the API key file holds no key that has not expired');
}

function main() {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      schema: { type: 'string', multiple: true },
      url: { type: 'string' },
      region: { type: 'string', default: 'us-east-1' },
      auth: { type: 'string' },
      'additional-auth': { type: 'string' },
      'api-key': { type: 'string' },
      'api-key-file': { type: 'string' },
      output: { type: 'string', short: 'o', default: 'amplify_outputs.json' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.url || (!values.config && !values.schema)) {
    process.stderr.write('usage: amplify-outputs.mjs (-c graphgate.json | --schema FILE...) --url URL [--region R] [--auth MODE]\n' +
      '         [--additional-auth MODE,...] [--api-key KEY | --api-key-file FILE] [-o amplify_outputs.json]\n');
    process.exit(values.help ? 0 : 2);
  }
  let files = (values.schema || []).map((f) => resolve(f));
  let defaultAuth = 'API_KEY';
  let additionalAuth = [];
  if (values.config) {
    const conf = JSON.parse(readFileSync(values.config, 'utf8'));
    files = files.concat((conf.schema || []).map((f) => resolve(dirname(resolve(values.config)), f)));
    defaultAuth = conf.auth?.default_mode || defaultAuth;
    additionalAuth = conf.auth?.additional_modes || [];
  }
  if (values.auth) defaultAuth = values.auth;
  if (values['additional-auth']) additionalAuth = values['additional-auth'].split(',').map((m) => m.trim()).filter(Boolean);
  const apiKey = values['api-key'] || (values['api-key-file'] && firstLiveKey(readFileSync(values['api-key-file'], 'utf8')));
  const sdl = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const outputs = amplifyOutputs({ sdl, url: values.url, region: values.region, defaultAuth, additionalAuth, apiKey });
  writeFileSync(values.output, `${JSON.stringify(outputs, null, 2)}\n`);
  const models = Object.keys(outputs.data.model_introspection.models);
  process.stderr.write(`wrote ${values.output}: ${models.length} model(s) (${models.join(', ')}), ${defaultAuth} at ${values.url}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`amplify-outputs: ${e.message}\n`);
    process.exit(1);
  }
}
