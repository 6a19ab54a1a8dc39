// models.mjs: what `amplify codegen models` writes for a JavaScript app (models/index.js,
// models/schema.js: the model introspection schema DataStore's initSchema takes), made from an SDL
// text by Amplify's own generator (npm @aws-amplify/appsync-modelgen-plugin, through the preset
// the CLI and @aws-amplify/graphql-generator use), never by hand: scripts/amplify-outputs.mjs runs
// it (and says why it calls the plugin itself rather than graphql-generator's generateModels).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateModelFiles } from '../../../scripts/amplify-outputs.mjs';

// Writes the models of sdl into dir/models/ (index.js, schema.js and their .d.ts); returns that path.
export function writeModels(sdl, dir) {
  // The CLI's settings for a Gen 1 app on transformer v2 with DataStore on (`amplify codegen models`).
  const files = generateModelFiles(sdl, 'javascript', { isDataStoreEnabled: true });
  const out = join(dir, 'models');
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  return out;
}
