// oracle.mjs: runs the Amplify GraphQL transformer (@aws-amplify/graphql-transformer, pinned in
// package.json) on one schema the way `amplify push` does for a DynamoDB-backed API: the default
// transformer chain, API_KEY (or the mode asked for) as the default auth mode and the other modes
// as additional ones (so that @auth rules of every provider are accepted), sandbox mode when the schema's
// `input AMPLIFY { globalAuthRule: ... }` allows public access. The transformer writes the
// schema AppSync receives as the asset "schema.graphql"; that text is what this module returns.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { executeTransform } = require('@aws-amplify/graphql-transformer');
const { constructDataSourceStrategies, DDB_DEFAULT_DATASOURCE_STRATEGY } = require('@aws-amplify/graphql-transformer-core');
const { App, NestedStack, Stack } = require('aws-cdk-lib');

// Every AppSync auth mode, as the transformer's authConfig names them.
const authProviders = {
  API_KEY: { authenticationType: 'API_KEY', apiKeyConfig: { apiKeyExpirationDays: 7 } },
  AMAZON_COGNITO_USER_POOLS: { authenticationType: 'AMAZON_COGNITO_USER_POOLS', userPoolConfig: { userPoolId: 'us-east-1_example' } },
  AWS_IAM: { authenticationType: 'AWS_IAM' },
  OPENID_CONNECT: { authenticationType: 'OPENID_CONNECT', openIDConnectConfig: { name: 'oidc', issuerUrl: 'https://issuer.example.com' } },
  AWS_LAMBDA: { authenticationType: 'AWS_LAMBDA', lambdaAuthorizerConfig: { lambdaFunction: 'authorizer', ttlSeconds: 300 } },
};

// defaultMode as the API's default, every other mode as an additional one.
function authConfigFor(defaultMode) {
  return {
    defaultAuthentication: authProviders[defaultMode],
    additionalAuthenticationProviders: Object.keys(authProviders)
      .filter((m) => m !== defaultMode)
      .map((m) => authProviders[m]),
  };
}

const transformParameters = {
  enableTransformerCfnOutputs: true,
  shouldDeepMergeDirectiveConfigDefaults: true,
  disableResolverDeduping: false,
  sandboxModeEnabled: false,
  allowDestructiveGraphqlSchemaUpdates: false,
  replaceTableUponGsiUpdate: false,
  allowGen1Patterns: true,
  useSubUsernameForDefaultIdentityClaim: true,
  populateOwnerFieldForStaticGroupAuth: true,
  suppressApiKeyGeneration: false,
  subscriptionsInheritPrimaryAuth: false,
  secondaryKeyAsGSI: true,
  enableAutoIndexQueryNames: true,
  respectPrimaryKeyAttributesOnConnectionField: true,
  enableSearchNodeToNodeEncryption: false,
  enableSearchEncryptionAtRest: false,
};

// Silences the transformer's construct-library deprecation warnings (they are not about the schema).
process.env.JSII_DEPRECATED = 'quiet';

// The served SDL for schema (text) with defaultMode (an AppSync auth mode name, API_KEY when not
// given) as the default auth mode, or throws the transformer's error. resolverConfig: DataStore's
// conflict detection as transform.conf.json's ResolverConfig gives it ({project: {ConflictDetection:
// 'VERSION', ConflictHandler: 'AUTOMERGE'}, models: {...}}), or undefined for none.
export function amplifyTransform(schema, defaultMode = 'API_KEY', resolverConfig = undefined) {
  let served = null;
  const app = new App();
  const stack = new Stack(app, 'api');
  const sandbox = /input\s+AMPLIFY\s*\{[^}]*globalAuthRule[^}]*allow\s*:\s*public/.test(schema);
  executeTransform({
    schema,
    transformersFactoryArgs: {},
    authConfig: authConfigFor(defaultMode),
    resolverConfig,
    transformParameters: { ...transformParameters, sandboxModeEnabled: sandbox },
    dataSourceStrategies: constructDataSourceStrategies(schema, DDB_DEFAULT_DATASOURCE_STRATEGY),
    sqlDirectiveDataSourceStrategies: [],
    rdsLayerMapping: {},
    rdsSnsTopicMapping: {},
    scope: stack,
    nestedStackProvider: { provide: (scope, name) => new NestedStack(scope, name) },
    assetProvider: {
      provide: (scope, name, props) => {
        if (props.fileName === 'schema.graphql') served = props.fileContent;
        return { s3ObjectUrl: `s3://assets/${props.fileName}`, httpUrl: `https://assets/${props.fileName}` };
      },
    },
    synthParameters: {
      amplifyEnvironmentName: 'NONE',
      apiName: 'api',
      authenticatedUserRoleName: 'authRole',
      unauthenticatedUserRoleName: 'unauthRole',
      userPoolId: 'us-east-1_example',
      identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
      adminRoles: [],
      enableIamAccess: false,
      provisionHotswapFriendlyResources: false,
    },
    printTransformerLog: () => {},
  });
  // The schema asset is made lazily, when its location is resolved (at synthesis).
  for (const c of stack.node.findAll())
    if (c.cfnResourceType === 'AWS::AppSync::GraphQLSchema') Stack.of(c).resolve(c.definitionS3Location);
  if (served === null) throw new Error('the transformer wrote no schema.graphql');
  return served;
}

if (process.argv[1] && process.argv[1].endsWith('oracle.mjs')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(amplifyTransform(readFileSync(process.argv[2], 'utf8')));
}
