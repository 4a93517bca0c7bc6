import { ApiError } from '@/api/errors';
import { loadPushToken, savePushToken } from '@/auth/storage';

import { deletePushToken, registerPushToken } from './api';
import { expoPushToken, type PushSupport } from './device';

/** How long signing out waits for the API to forget this device before it goes on without. */
export const FORGET_TIMEOUT_MS = 5000;

/**
 * Registers this device's current Expo push token with the signed-in account, and
 * keeps it on the device so that signing out can remove it. Throws when the token
 * cannot be had or the API refuses it.
 */
export async function registerThisDevice(support: Extract<PushSupport, { supported: true }>): Promise<string> {
  const token = await expoPushToken(support.projectId);
  await registerPushToken(token, support.platform);
  await savePushToken(token);
  return token;
}

/**
 * Signing out: asks the API to stop sending to this device. Best effort, and never
 * longer than FORGET_TIMEOUT_MS: signing out never fails or waits long because of it
 * (a token already gone, 404, is as good as deleted).
 */
export async function forgetThisDevice(): Promise<void> {
  const token = await loadPushToken();
  if (!token) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      deletePushToken(token).catch((error: unknown) => {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), FORGET_TIMEOUT_MS);
      }),
    ]);
  } catch {
    // The API may keep sending to this device until the token is registered elsewhere or expires.
  } finally {
    clearTimeout(timer);
  }
  await savePushToken(null);
}

/** The account is gone (deleted) or the session ended elsewhere: nothing to remove, only to forget. */
export const dropThisDevice = () => savePushToken(null);
