import { Platform } from 'react-native';

import { askPermission, type PushSupport } from './device';
import { registerThisDevice } from './registration';

/** What asking for notifications came to: this device registered, the system said no, or registering failed. */
export type PushAnswer = { kind: 'registered' } | { kind: 'refused' } | { kind: 'failed'; error: unknown };

/**
 * Asks the system for permission (its own dialog, or its earlier answer without one)
 * and, when granted, registers this device with the signed-in account.
 */
export async function askForPush(support: Extract<PushSupport, { supported: true }>): Promise<PushAnswer> {
  if ((await askPermission()) !== 'granted') return { kind: 'refused' };
  try {
    await registerThisDevice(support);
    return { kind: 'registered' };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

/** Where notifications are turned back on once the system was told no. */
export function systemSettingsHint(): string {
  return Platform.OS === 'ios'
    ? 'Notifications are turned off for Kennel on this device. To get them, open Settings, then Kennel, then Notifications, and turn on Allow Notifications.'
    : 'Notifications are turned off for Kennel on this device. To get them, open Settings, then Apps, then Kennel, then Notifications, and turn them on.';
}
