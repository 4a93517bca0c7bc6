import * as Crypto from 'expo-crypto';

import { setDeviceId } from '@/api/session';

import { loadDeviceId, saveDeviceId } from './storage';

/** The anonymous id sent as X-Device-Id: generated once per install and kept. */
export async function ensureDeviceId(): Promise<string> {
  let id = await loadDeviceId();
  if (!id) {
    id = Crypto.randomUUID();
    await saveDeviceId(id);
  }
  setDeviceId(id);
  return id;
}
