import { apiFetch } from '@/api/client';
import { errorFromResponse } from '@/api/errors';
import type { components } from '@/api/schema';

import type { PushPlatform } from './device';

/** How the account hears about new matches of its saved searches. */
export type NewMatchAlerts = 'push' | 'email' | 'off';

/** A device of the account that receives push notifications. */
export type PushToken = { token: string; platform: PushPlatform; created_at: string };

export type MeWithAlerts = components['schemas']['Me'] & { new_match_alerts?: NewMatchAlerts };

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
  }
  const response = await apiFetch(path, init);
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw errorFromResponse(response, parsed);
  return parsed as T;
}

/** Registers this device's token with the signed-in account (201 new, 200 known: moved to this account). */
export const registerPushToken = (token: string, platform: PushPlatform) => call<PushToken>('POST', '/v1/me/push-tokens', { token, platform });

/** The devices of the account that receive push notifications. */
export const listPushTokens = () => call<{ items: PushToken[] }>('GET', '/v1/me/push-tokens');

/** Stops sending to this device. */
export const deletePushToken = (token: string) => call<void>('DELETE', `/v1/me/push-tokens/${encodeURIComponent(token)}`);

/** Chooses how new matches are told. */
export const updateNewMatchAlerts = (value: NewMatchAlerts) => call<MeWithAlerts>('PATCH', '/v1/me', { new_match_alerts: value });
