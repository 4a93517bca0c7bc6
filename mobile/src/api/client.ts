import createClient, { type Middleware } from 'openapi-fetch';

import { env } from '@/config/env';
import { reportUnreachable } from '@/connectivity/reachability';

import { ApiError, errorFromResponse, networkError } from './errors';
import type { paths } from './schema';
import { getDeviceId, getToken, setToken, usesSessionCookie } from './session';

/**
 * Every request goes through this fetch: it signs the request in (the bearer token on
 * iOS and Android; on the web the browser's session cookie, with the header the API
 * requires of cookie-signed requests), adds the device id, turns network failures
 * into ApiError (status 0) and tells the reachability monitor, so the app can pause
 * queries until the API answers again.
 */
export async function apiFetch(input: Request | string, init?: RequestInit): Promise<Response> {
  let request = typeof input === 'string' ? new Request(absolute(input), init) : input;
  const token = getToken();
  if (usesSessionCookie()) {
    // The cookie is HttpOnly: the browser sends it to the API's origin, scripts never see it.
    request = new Request(request, { credentials: 'include' });
    // Cookie-signed changes need this header (a cross-site form cannot send it); sent on every request, so none lacks it.
    request.headers.set('X-Kennel-Client', 'web');
  } else if (token && !request.headers.has('Authorization')) {
    request.headers.set('Authorization', `Bearer ${token}`);
  }
  const deviceId = getDeviceId();
  if (deviceId && !request.headers.has('X-Device-Id')) request.headers.set('X-Device-Id', deviceId);
  let response: Response;
  try {
    // Looked up at call time so tests can replace the network boundary.
    response = await globalThis.fetch(request);
  } catch (cause) {
    reportUnreachable();
    throw networkError(cause);
  }
  if (response.status === 401 && token && getToken() === token) {
    // The session ended elsewhere (signed out, expired, account deleted).
    setToken(null);
  }
  return response;
}

function absolute(path: string): string {
  return /^https?:/.test(path) ? path : `${env.apiUrl}${path}`;
}

/** The typed client for every endpoint in openapi.json. */
export const api = createClient<paths>({
  baseUrl: env.apiUrl,
  fetch: (request: Request) => apiFetch(request),
});

const throwOnNetwork: Middleware = {
  onError({ error }) {
    return error instanceof ApiError ? error : networkError(error);
  },
};
api.use(throwOnNetwork);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Returns the data of a successful call or throws its ApiError. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorFromResponse(response, error);
  return data as T;
}

/** Like `unwrap`, with the answer's ETag: what a later change sends back in If-Match. */
export async function unwrapTagged<T>(call: Promise<Result<T>>): Promise<{ data: T; etag: string | null }> {
  const { response } = await call;
  return { data: await unwrap(call), etag: response.headers.get('ETag') };
}

/** The JSON body of a path's successful (2xx) POST response, from the generated schema. */
type PostSuccess<P extends keyof paths> = paths[P] extends {
  post: { responses: infer R };
}
  ? {
      [S in keyof R]: S extends 200 | 201 ? (R[S] extends { content: { 'application/json': infer B } } ? B : never) : never;
    }[keyof R]
  : never;

/**
 * A multipart POST built by hand (openapi-fetch would serialize the form as JSON):
 * the same headers and errors as the typed client, and the response type of the
 * path in openapi.json. `params` fills the `{name}` segments of the path.
 */
export async function postForm<P extends keyof paths>(path: P, params: Record<string, string>, form: FormData): Promise<PostSuccess<P>> {
  const url = String(path).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`postForm: no value for {${name}} in ${String(path)}`);
    return encodeURIComponent(value);
  });
  const response = await apiFetch(absolute(url), { method: 'POST', headers: { Accept: 'application/json' }, body: form });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw errorFromResponse(response, parsed);
  return parsed as PostSuccess<P>;
}
