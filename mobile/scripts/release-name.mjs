// Prints the error-tracking release and dist of a build profile, read from the app
// config that profile builds (app.config.ts with the profile's APP_ENV), so the
// release workflow names a build exactly as the app and its uploaded source maps do.
//
// Usage: node scripts/release-name.mjs PROFILE [--tag TAG]
//   --tag  fails unless TAG is mobile-v<the app's version> (a store release's tag)
// Prints release=…, dist=… and version=… lines (for $GITHUB_OUTPUT).
import { EasJsonAccessor, EasJsonUtils, Platform } from '@expo/eas-json';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [profileName, flag, tag] = process.argv.slice(2);
if (!profileName || (flag !== undefined && (flag !== '--tag' || !tag))) {
  console.error('usage: node scripts/release-name.mjs PROFILE [--tag TAG]');
  process.exit(2);
}

const accessor = EasJsonAccessor.fromProjectPath(root);
const appEnvs = new Set();
for (const platform of [Platform.ANDROID, Platform.IOS]) {
  const profile = await EasJsonUtils.getBuildProfileAsync(accessor, platform, profileName);
  appEnvs.add(profile.env?.APP_ENV);
}
if (appEnvs.size !== 1) {
  console.error(`release-name: profile ${profileName} builds different APP_ENVs per platform`);
  process.exit(1);
}
const [appEnv] = appEnvs;

// The config exactly as Expo resolves it for a build of this profile.
const expoCli = createRequire(import.meta.url).resolve('expo/bin/cli');
const config = JSON.parse(
  execFileSync(process.execPath, [expoCli, 'config', '--type', 'public', '--json'], {
    cwd: root,
    env: { ...process.env, APP_ENV: appEnv ?? '' },
    encoding: 'utf8',
  }),
);
const { sentryRelease: release, sentryDist: dist } = config.extra ?? {};
if (!release || !dist) {
  console.error('release-name: app.config.ts gave no extra.sentryRelease / extra.sentryDist');
  process.exit(1);
}
if (tag !== undefined && tag !== `mobile-v${config.version}`) {
  console.error(`release-name: tag ${tag} does not match the app's version ${config.version} (expected mobile-v${config.version})`);
  process.exit(1);
}
console.log(`release=${release}\ndist=${dist}\nversion=${config.version}`);
