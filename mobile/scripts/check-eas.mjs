// Loads eas.json with EAS's own parser and checks each build profile: it must
// validate for both platforms, build for the environment it is meant for, and take
// its error-tracking settings (the DSN, the source-map upload token) from its EAS
// environment's variables, never from this file.
import { EasJsonAccessor, EasJsonUtils, Platform } from '@expo/eas-json';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// profile: [APP_ENV, EAS environment whose variables the build gets]
const expected = { development: ['local', 'development'], preview: ['staging', 'preview'], production: ['production', 'production'] };
const notCommitted = ['EXPO_PUBLIC_SENTRY_DSN', 'SENTRY_AUTH_TOKEN'];

const accessor = EasJsonAccessor.fromProjectPath(root);
const names = await EasJsonUtils.getBuildProfileNamesAsync(accessor);
let failures = 0;
for (const [name, [env, easEnvironment]] of Object.entries(expected)) {
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
    if (profile.environment !== easEnvironment) {
      console.error(`check:eas: ${name} (${platform}) uses the EAS environment ${profile.environment ?? 'unset'}, expected ${easEnvironment}`);
      failures++;
    }
    for (const key of notCommitted.filter((k) => profile.env?.[k] !== undefined)) {
      console.error(`check:eas: ${name} (${platform}) sets ${key} in eas.json; it belongs in the EAS environment ${easEnvironment}`);
      failures++;
    }
  }
  const warnings = await EasJsonUtils.getBuildProfileDeprecationWarningsAsync(accessor, name);
  for (const w of warnings) console.warn(`check:eas: ${name}: ${w.message.join(' ')}`);
}
await EasJsonUtils.getCliConfigAsync(accessor);
if (failures > 0) process.exit(1);
console.log(`check:eas: eas.json is valid (${names.join(', ')})`);
