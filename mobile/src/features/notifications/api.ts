import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

import type { PushPlatform } from './device';

/** How the account hears about new matches of its saved searches. */
export type NewMatchAlerts = components['schemas']['AlertChannel'];

/** A device of the account that receives push notifications. */
export type PushToken = components['schemas']['PushToken'];

/** Registers this device's token with the signed-in account (201 new, 200 known: moved to this account). */
export const registerPushToken = (token: string, platform: PushPlatform) => unwrap(api.POST('/v1/me/push-tokens', { body: { token, platform } }));

/** The devices of the account that receive push notifications. */
export const listPushTokens = () => unwrap(api.GET('/v1/me/push-tokens'));

/** Stops sending to this device (the token goes in the path, URL-encoded). */
export const deletePushToken = (token: string) => unwrap(api.DELETE('/v1/me/push-tokens/{token}', { params: { path: { token } } }));

/** Chooses how new matches are told. */
export const updateNewMatchAlerts = (value: NewMatchAlerts) => unwrap(api.PATCH('/v1/me', { body: { new_match_alerts: value } }));
