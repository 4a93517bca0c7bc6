import * as SecureStore from 'expo-secure-store';
import { Platform } from 'react-native';

import { usesSessionCookie } from '@/api/session';

/**
 * The session token lives in the device's secure store. On the web there is no token
 * to keep: the session is the API's HttpOnly cookie (src/api/session.ts), so nothing
 * here ever holds it, in memory or in the browser's storage.
 */
const memory = new Map<string, string>();
const TOKEN_KEY = 'kennel.session';
const DEVICE_KEY = 'kennel.device-id';

/** iOS and Android: the secure store, with an in-memory copy for when it fails. */
async function secureGet(key: string): Promise<string | null> {
  try {
    return (await SecureStore.getItemAsync(key)) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

async function secureSet(key: string, value: string | null): Promise<void> {
  if (value === null) memory.delete(key);
  else memory.set(key, value);
  try {
    if (value === null) await SecureStore.deleteItemAsync(key);
    else await SecureStore.setItemAsync(key, value);
  } catch {
    // The in-memory copy keeps the app working for this run.
  }
}

export const loadToken = async (): Promise<string | null> => (usesSessionCookie() ? null : secureGet(TOKEN_KEY));
export const saveToken = async (token: string | null): Promise<void> => {
  if (!usesSessionCookie()) await secureSet(TOKEN_KEY, token);
};

/** The anonymous device id is not a secret: on the web it may persist in localStorage. */
export async function loadDeviceId(): Promise<string | null> {
  if (Platform.OS === 'web') {
    try {
      return globalThis.localStorage?.getItem(DEVICE_KEY) ?? memory.get(DEVICE_KEY) ?? null;
    } catch {
      return memory.get(DEVICE_KEY) ?? null;
    }
  }
  return secureGet(DEVICE_KEY);
}

export async function saveDeviceId(id: string): Promise<void> {
  memory.set(DEVICE_KEY, id);
  if (Platform.OS === 'web') {
    try {
      globalThis.localStorage?.setItem(DEVICE_KEY, id);
    } catch {
      // memory only
    }
    return;
  }
  await secureSet(DEVICE_KEY, id);
}

/** Tests: forget everything. */
export function clearMemoryStorage(): void {
  memory.clear();
}

const PUSH_TOKEN_KEY = 'kennel.push-token';
const PUSH_PROMPT_KEY = 'kennel.push-prompt';

/** The push token this device registered with the signed-in account: sign-out removes it from the API. Phones only. */
export async function loadPushToken(): Promise<string | null> {
  return Platform.OS === 'web' ? null : secureGet(PUSH_TOKEN_KEY);
}

export async function savePushToken(token: string | null): Promise<void> {
  if (Platform.OS !== 'web') await secureSet(PUSH_TOKEN_KEY, token);
}

/** How the person answered the offer of notifications after saving a search: it is made once. Phones only. */
export type PushPromptAnswer = 'allowed' | 'declined';

export async function loadPushPromptAnswer(): Promise<PushPromptAnswer | null> {
  if (Platform.OS === 'web') return null;
  const value = await secureGet(PUSH_PROMPT_KEY);
  return value === 'allowed' || value === 'declined' ? value : null;
}

export async function savePushPromptAnswer(answer: PushPromptAnswer): Promise<void> {
  if (Platform.OS !== 'web') await secureSet(PUSH_PROMPT_KEY, answer);
}
