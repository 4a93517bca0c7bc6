/**
 * The bearer token of the signed-in user and the anonymous device id, held in memory
 * for the HTTP client. Persistence lives in src/auth/storage.ts.
 */
let token: string | null = null;
let deviceId: string | null = null;
const listeners = new Set<(token: string | null) => void>();

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  for (const listener of listeners) listener(value);
}

/** Called with null when the server says the token is no longer valid. */
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
