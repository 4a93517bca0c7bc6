import Constants from 'expo-constants';
import * as Device from 'expo-device';
import { Platform } from 'react-native';

export type AppEnvironment = 'local' | 'staging' | 'production';

type Extra = {
  environment?: string;
  apiUrl?: string;
  androidEmulatorApiUrl?: string;
  sentryDsn?: unknown;
  sentryRelease?: string;
  sentryDist?: string;
};

const extra: Extra = (Constants.expoConfig?.extra as Extra | undefined) ?? {};

function environmentOf(value: string | undefined): AppEnvironment {
  return value === 'staging' || value === 'production' ? value : 'local';
}

/** The embedded manifest turns an unset (null) DSN into `{}`: only a string is one. */
function dsnOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

const isAndroidEmulator = Platform.OS === 'android' && Device.isDevice === false;

/** Build-time configuration, baked into the bundle by app.config.ts. */
export const env = {
  environment: environmentOf(extra.environment),
  apiUrl: (isAndroidEmulator ? extra.androidEmulatorApiUrl : extra.apiUrl) ?? 'http://localhost:3000',
  sentryDsn: dsnOf(extra.sentryDsn),
  // Named by app.config.ts, as the build's source maps were uploaded.
  sentryRelease: extra.sentryRelease,
  sentryDist: extra.sentryDist,
  version: Constants.expoConfig?.version ?? '0.0.0',
} as const;
