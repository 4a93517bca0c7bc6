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

export default ({ config }: ConfigContext): ExpoConfig => {
  const environment = resolveEnvironment(process.env.APP_ENV);
  const apiUrl = resolveApiUrl(environment, process.env.EXPO_PUBLIC_API_URL);
  const sentryDsn = process.env.EXPO_PUBLIC_SENTRY_DSN?.trim() || null;
  const suffix = environment === 'production' ? '' : ` (${environment})`;

  return {
    ...config,
    name: `Kennel${suffix}`,
    slug: 'kennel',
    scheme: 'kennel',
    version: '1.0.0',
    orientation: 'portrait',
    userInterfaceStyle: 'automatic',
    platforms: ['ios', 'android', 'web'],
    ios: {
      bundleIdentifier: environment === 'production' ? 'com.example.kennel' : `com.example.kennel.${environment}`,
      supportsTablet: true,
    },
    android: {
      package: environment === 'production' ? 'com.example.kennel' : `com.example.kennel.${environment}`,
    },
    web: {
      bundler: 'metro',
      output: 'single',
    },
    plugins: [
      'expo-router',
      'expo-secure-store',
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
    ],
    experiments: { typedRoutes: false },
    extra: {
      environment,
      apiUrl,
      // Used instead of apiUrl when the app runs in the Android emulator.
      androidEmulatorApiUrl:
        environment === 'local' && !process.env.EXPO_PUBLIC_API_URL ? ANDROID_EMULATOR_LOCAL_API_URL : apiUrl,
      sentryDsn,
    },
  };
};
