/**
 * Error tracking per build: one name per build (the release and dist the app sends
 * are the ones the native build uploads source maps for and the release workflow
 * reads), and a DSN only where the build's environment gives one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigContext, ExpoConfig } from 'expo/config';

import appConfig, { APP_VERSION, BUILD_NUMBER, sentryRelease, type AppEnvironment } from '../app.config';

const mobileDir = join(__dirname, '..');
const saved = { APP_ENV: process.env.APP_ENV, EXPO_PUBLIC_SENTRY_DSN: process.env.EXPO_PUBLIC_SENTRY_DSN };

afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function configFor(environment: AppEnvironment, dsn?: string): ExpoConfig {
  process.env.APP_ENV = environment;
  if (dsn) process.env.EXPO_PUBLIC_SENTRY_DSN = dsn;
  else delete process.env.EXPO_PUBLIC_SENTRY_DSN;
  return appConfig({ config: {} } as ConfigContext);
}

/** The app as built with `config`: expo-constants hands it the config baked in at build time. */
function withBuiltConfig(config: ExpoConfig) {
  jest.doMock('expo-constants', () => ({ __esModule: true, default: { expoConfig: config } }));
}

/** What `scripts/release-name.mjs PROFILE` prints, as the release workflow reads it. */
function workflowNames(...args: string[]): Record<string, string> {
  const script = join(mobileDir, 'scripts', 'release-name.mjs');
  const out = execFileSync(process.execPath, [script, ...args], { cwd: mobileDir, encoding: 'utf8', stdio: 'pipe' });
  return Object.fromEntries(out.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
}

describe('Release naming', () => {
  it.each(['local', 'staging', 'production'] as const)('%s: the name the native SDK and build upload use, from one version and build number', (environment) => {
    const config = configFor(environment);
    const { release, dist } = sentryRelease(environment);
    expect(config.extra).toMatchObject({ sentryRelease: release, sentryDist: dist });
    expect(config.version).toBe(APP_VERSION);
    // iOS: <bundle id>@<CFBundleShortVersionString>+<CFBundleVersion>, dist CFBundleVersion.
    expect(release).toBe(`${config.ios!.bundleIdentifier}@${config.version}+${config.ios!.buildNumber}`);
    // Android: <package>@<versionName>+<versionCode>, dist versionCode.
    expect(release).toBe(`${config.android!.package}@${config.version}+${config.android!.versionCode}`);
    expect(dist).toBe(String(BUILD_NUMBER));
  });

  it('releases of different environments never share a name', () => {
    const names = (['local', 'staging', 'production'] as const).map((environment) => sentryRelease(environment).release);
    expect(new Set(names).size).toBe(3);
  });

  it('the app sends that release and dist, and keeps the SDK’s default handlers', () => {
    const config = configFor('production', 'https://public@errors.example.com/1');
    jest.isolateModules(() => {
      withBuiltConfig(config);
      const sentry = jest.requireMock<{ init: jest.Mock }>('@sentry/react-native');
      const { initMonitoring } = jest.requireActual<typeof import('@/monitoring/sentry')>('@/monitoring/sentry');
      expect(initMonitoring()).toBe(true);
      const options = sentry.init.mock.calls[0]![0];
      expect(options).toMatchObject({ environment: 'production', release: config.extra!.sentryRelease, dist: config.extra!.sentryDist });
      // Uncaught errors and unhandled rejections are the default integrations' job.
      expect(options).not.toHaveProperty('defaultIntegrations');
      expect(options).not.toHaveProperty('integrations');
    });
  });

  it.each([
    ['preview', 'staging'],
    ['production', 'production'],
  ] as const)('the release workflow names a %s build as the app does', (profile, environment) => {
    const { release, dist } = sentryRelease(environment);
    expect(workflowNames(profile)).toEqual({ release, dist, version: APP_VERSION });
  });

  it('the release workflow names and builds the same profile', () => {
    const workflow = readFileSync(join(mobileDir, '..', '.github', 'workflows', 'mobile-release.yml'), 'utf8');
    expect(workflow).toContain('node scripts/release-name.mjs "$PROFILE"');
    expect(workflow).toContain('eas build --platform all --profile "$PROFILE"');
    expect(workflow).toContain('eas env:create --environment "$PROFILE"');
  });

  it('a store release’s tag must name the app’s version', () => {
    expect(workflowNames('production', '--tag', `mobile-v${APP_VERSION}`).version).toBe(APP_VERSION);
    expect(() => workflowNames('production', '--tag', 'mobile-v0.0.0-old')).toThrow(/does not match the app's version/);
  });

});

describe('DSN per environment', () => {
  /** Whether the app as built with `config` starts error tracking, and with which DSN. */
  function startsWith(config: ExpoConfig): unknown {
    let dsn: unknown = null;
    jest.isolateModules(() => {
      withBuiltConfig(config);
      const sentry = jest.requireMock<{ init: jest.Mock }>('@sentry/react-native');
      const started = jest.requireActual<typeof import('@/monitoring/sentry')>('@/monitoring/sentry').initMonitoring();
      expect(sentry.init).toHaveBeenCalledTimes(started ? 1 : 0);
      dsn = started ? sentry.init.mock.calls[0]![0].dsn : null;
    });
    return dsn;
  }

  it('a staging or production build sends to the DSN its EAS environment gave it', () => {
    expect(startsWith(configFor('staging', ' https://public@errors.example.com/2 '))).toBe('https://public@errors.example.com/2');
  });

  it('local builds never start error tracking, even with a DSN', () => {
    expect(startsWith(configFor('local', 'https://public@errors.example.com/1'))).toBeNull();
  });

  it('a build whose environment has no DSN does not start it either', () => {
    const config = configFor('production');
    expect(config.extra!.sentryDsn).toBeNull();
    expect(startsWith(config)).toBeNull();
    // The manifest embedded in the app turns that null into {}.
    expect(startsWith({ ...config, extra: { ...config.extra, sentryDsn: {} } })).toBeNull();
  });
});
