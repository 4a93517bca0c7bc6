// Loads eas.json with EAS's own parser and checks each build profile: it must
// validate for both platforms and build for the environment it is meant for.
import { EasJsonAccessor, EasJsonUtils, Platform } from '@expo/eas-json';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const expected = { development: 'local', preview: 'staging', production: 'production' };

const accessor = EasJsonAccessor.fromProjectPath(root);
const names = await EasJsonUtils.getBuildProfileNamesAsync(accessor);
let failures = 0;
for (const [name, env] of Object.entries(expected)) {
  if (!names.includes(name)) {
    console.error(`check:eas: build profile "${name}" is missing`);
    failures++;
    continue;
  }
  for (const platform of [Platform.ANDROID, Platform.IOS]) {
    const profile = await EasJsonUtils.getBuildProfileAsync(accessor, platform, name);
    const actual = profile.env?.APP_ENV;
    if (actual !== env) {
      console.error(`check:eas: ${name} (${platform}) builds APP_ENV=${actual ?? 'unset'}, expected ${env}`);
      failures++;
    }
  }
  const warnings = await EasJsonUtils.getBuildProfileDeprecationWarningsAsync(accessor, name);
  for (const w of warnings) console.warn(`check:eas: ${name}: ${w.message.join(' ')}`);
}
await EasJsonUtils.getCliConfigAsync(accessor);
if (failures > 0) process.exit(1);
console.log(`check:eas: eas.json is valid (${names.join(', ')})`);
