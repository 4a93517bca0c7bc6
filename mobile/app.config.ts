import type { ConfigContext, ExpoConfig } from 'expo/config';

/**
 * Build-time configuration. APP_ENV picks the API the app talks to; EXPO_PUBLIC_API_URL
 * overrides it (for a LAN address or a test server). Only public values belong here:
 * everything in `extra` ends up inside the app bundle.
 */
export type AppEnvironment = 'local' | 'staging' | 'production';

const API_URLS: Record<AppEnvironment, string> = {
  local: 'http://localhost:3000',
  staging: 'https://staging-api.example.com',
  production: 'https://api.example.com',
};

/** The Android emulator reaches the host machine's localhost at 10.0.2.2. */
export const ANDROID_EMULATOR_LOCAL_API_URL = 'http://10.0.2.2:3000';

export function resolveEnvironment(value: string | undefined): AppEnvironment {
  const env = (value ?? 'local').trim() || 'local';
  if (env === 'local' || env === 'staging' || env === 'production') return env;
  throw new Error(`APP_ENV must be local, staging or production (got "${env}")`);
}

export function resolveApiUrl(env: AppEnvironment, override: string | undefined): string {
  const url = override?.trim() || API_URLS[env];
  return url.replace(/\/+$/, '');
}

/**
 * The version people see, and the build number the stores count (iOS `buildNumber`,
 * Android `versionCode`). A store release bumps both in the commit its tag
 * (`mobile-v<version>`) points at; EAS cannot raise them itself in a dynamic config.
 */
export const APP_VERSION = '1.0.0';
export const BUILD_NUMBER = 1;

/** iOS bundle identifier and Android package: one app per environment on a device. */
export function applicationId(env: AppEnvironment): string {
  return env === 'production' ? 'com.example.kennel' : `com.example.kennel.${env}`;
}

/**
 * The release and dist error tracking files a build's events and source maps under.
 * This is the name the native Sentry SDK reports and the native build's source-map
 * upload uses by default on iOS and Android (`<app id>@<version>+<build>`, dist = the
 * build number); the app passes it on the web too, and the release workflow reads it
 * from here (`scripts/release-name.mjs`), so all of them name one build the same way.
 */
export function sentryRelease(env: AppEnvironment, version = APP_VERSION, build = BUILD_NUMBER) {
  return { release: `${applicationId(env)}@${version}+${build}`, dist: String(build) };
}

function sentryUploadPlugin(): [string, Record<string, string | undefined>] {
  const url = process.env.SENTRY_URL?.trim();
  return ['@sentry/react-native/expo', { organization: process.env.SENTRY_ORG, project: process.env.SENTRY_PROJECT, ...(url ? { url } : {}) }];
}

export default ({ config }: ConfigContext): ExpoConfig => {
  const environment = resolveEnvironment(process.env.APP_ENV);
  const apiUrl = resolveApiUrl(environment, process.env.EXPO_PUBLIC_API_URL);
  // Set per EAS environment (preview: staging's DSN, production: production's), never
  // in this repository; unset (local builds) means error tracking is off.
  const sentryDsn = process.env.EXPO_PUBLIC_SENTRY_DSN?.trim() || null;
  const { release, dist } = sentryRelease(environment);
  // The EAS project the Expo push tokens belong to (set per EAS environment, like the
  // DSN); without it the app treats push notifications as unavailable and offers email.
  const easProjectId = process.env.EAS_PROJECT_ID?.trim() || null;
  const suffix = environment === 'production' ? '' : ` (${environment})`;

  return {
    ...config,
    name: `Kennel${suffix}`,
    slug: 'kennel',
    scheme: 'kennel',
    version: APP_VERSION,
    orientation: 'portrait',
    userInterfaceStyle: 'automatic',
    platforms: ['ios', 'android', 'web'],
    ios: {
      bundleIdentifier: applicationId(environment),
      buildNumber: String(BUILD_NUMBER),
      supportsTablet: true,
    },
    android: {
      package: applicationId(environment),
      versionCode: BUILD_NUMBER,
    },
    web: {
      bundler: 'metro',
      output: 'single',
    },
    plugins: [
      'expo-router',
      'expo-secure-store',
      // Push notifications about new matches of saved searches (its defaults: the app's icon).
      'expo-notifications',
      [
        'expo-location',
        { locationWhenInUsePermission: 'Kennel uses your location to show puppies near you.' },
      ],
      [
        'expo-image-picker',
        {
          photosPermission: 'Kennel lets shelter staff add photos of their puppies.',
          cameraPermission: 'Kennel lets shelter staff take photos of their puppies.',
        },
      ],
      // Staging and production native builds upload their bundle's source maps for
      // the release above; local builds have no upload step. The organization and
      // project (and SENTRY_AUTH_TOKEN, read by the upload itself) come from the
      // build's EAS environment.
      ...(environment === 'local' ? [] : [sentryUploadPlugin()]),
    ],
    experiments: { typedRoutes: false },
    extra: {
      environment,
      apiUrl,
      // Used instead of apiUrl when the app runs in the Android emulator.
      androidEmulatorApiUrl:
        environment === 'local' && !process.env.EXPO_PUBLIC_API_URL ? ANDROID_EMULATOR_LOCAL_API_URL : apiUrl,
      sentryDsn,
      sentryRelease: release,
      sentryDist: dist,
      ...(easProjectId ? { eas: { projectId: easProjectId } } : {}),
    },
  };
};
