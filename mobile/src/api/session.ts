import { Platform } from 'react-native';

/**
 * Who is signed in, held in memory for the HTTP client, and the anonymous device id.
 *
 * On iOS and Android the value is the session's bearer token, kept across launches
 * by src/auth/storage.ts. On the web the session is an HttpOnly cookie that the API
 * sets and the browser sends: scripts cannot read it, so the app never holds the
 * token there, and the value is only `COOKIE_SESSION`, a marker that someone is
 * signed in.
 */
let token: string | null = null;
let deviceId: string | null = null;
const listeners = new Set<(token: string | null) => void>();

/** The value on the web while signed in: a marker, never a token. */
export const COOKIE_SESSION = 'cookie-session';

/** Whether the session is the API's cookie (the web) rather than a bearer token the app keeps. */
export function usesSessionCookie(): boolean {
  return Platform.OS === 'web';
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  for (const listener of listeners) listener(value);
}

/** Called with null when the server says the session is no longer valid. */
export function onTokenChange(listener: (token: string | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getDeviceId(): string | null {
  return deviceId;
}

export function setDeviceId(value: string | null): void {
  deviceId = value;
}
