import Constants from 'expo-constants';
import * as Device from 'expo-device';
import * as Notifications from 'expo-notifications';
import { Platform } from 'react-native';

/**
 * The device's side of push notifications: whether this device can have them, the
 * system's permission, and the Expo push token. Everything else about alerts goes
 * through the API.
 */

export type PushPlatform = 'ios' | 'android';

/** Why this device gets no push notifications: the web, a simulator, or a build without an EAS project. */
export type Unsupported = 'web' | 'simulator' | 'not-configured';

export type PushSupport = { supported: true; platform: PushPlatform; projectId: string } | { supported: false; reason: Unsupported };

export type Permission = 'granted' | 'denied' | 'undetermined';

type EasExtra = { eas?: { projectId?: unknown } };

/** The EAS project the push tokens belong to: `extra.eas.projectId`, or the build's EAS config. */
function projectId(): string | null {
  const fromExtra = (Constants.expoConfig?.extra as EasExtra | undefined)?.eas?.projectId;
  const fromEas = (Constants.easConfig as { projectId?: unknown } | null | undefined)?.projectId;
  const id = typeof fromExtra === 'string' && fromExtra ? fromExtra : fromEas;
  return typeof id === 'string' && id.trim() ? id.trim() : null;
}

/** Push notifications reach only the app on a physical iPhone, iPad or Android device. */
export function pushSupport(): PushSupport {
  if (Platform.OS !== 'ios' && Platform.OS !== 'android') return { supported: false, reason: 'web' };
  if (!Device.isDevice) return { supported: false, reason: 'simulator' };
  const id = projectId();
  if (!id) return { supported: false, reason: 'not-configured' };
  return { supported: true, platform: Platform.OS, projectId: id };
}

/** What the person reads where push notifications cannot be had on this device. */
export function unsupportedReason(reason: Unsupported): string {
  switch (reason) {
    case 'web':
      return 'Push notifications come to the Kennel app on a phone or tablet.';
    case 'simulator':
      return 'Push notifications need a physical phone or tablet.';
    case 'not-configured':
      return 'Push notifications are not available in this version of the app.';
  }
}

function permissionOf(result: { status: string; granted?: boolean }): Permission {
  if (result.granted || result.status === 'granted') return 'granted';
  return result.status === 'denied' ? 'denied' : 'undetermined';
}

/** The system's answer so far. Never asks. */
export async function currentPermission(): Promise<Permission> {
  try {
    return permissionOf(await Notifications.getPermissionsAsync());
  } catch {
    return 'undetermined';
  }
}

/**
 * Shows the system's dialog (once the system has an answer it gives that without
 * asking again). Android wants a channel before the first notification can be allowed.
 */
export async function askPermission(): Promise<Permission> {
  try {
    if (Platform.OS === 'android') {
      await Notifications.setNotificationChannelAsync('default', { name: 'New matches', importance: Notifications.AndroidImportance.DEFAULT });
    }
    return permissionOf(await Notifications.requestPermissionsAsync());
  } catch {
    return 'denied';
  }
}

/** This device's Expo push token (it may change between starts). */
export async function expoPushToken(project: string): Promise<string> {
  const { data } = await Notifications.getExpoPushTokenAsync({ projectId: project });
  return data;
}
