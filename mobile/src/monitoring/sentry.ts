import * as Sentry from '@sentry/react-native';

import { env } from '@/config/env';

type Event = Sentry.ErrorEvent;

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/g;

function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(BEARER, 'Bearer [token]');
}

/**
 * Addresses lose their query: the links in account emails carry a token there
 * (`/reset-password?token=…`) that works for whoever holds it. Navigation
 * breadcrumbs name the addresses as `from` and `to`, requests as `url`.
 */
const URL_KEYS = ['url', 'from', 'to'] as const;

function scrubUrls(data: Record<string, unknown>): void {
  for (const key of URL_KEYS) {
    const value = data[key];
    if (typeof value === 'string') data[key] = value.split('?')[0];
  }
}

/** Removes personal data before an event leaves the device. */
export function scrubEvent<T extends Event>(event: T): T {
  delete event.user;
  if (event.request) {
    delete event.request.data;
    delete event.request.cookies;
    if (event.request.headers) {
      delete event.request.headers.Authorization;
      delete event.request.headers.authorization;
      delete event.request.headers['X-Device-Id'];
      delete event.request.headers['x-device-id'];
    }
    if (event.request.query_string) delete event.request.query_string;
    if (event.request.url) event.request.url = event.request.url.split('?')[0];
  }
  if (event.message) event.message = scrubText(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = scrubText(exception.value);
  }
  if (event.breadcrumbs) {
    event.breadcrumbs = event.breadcrumbs.map((crumb) => {
      const data = crumb.data ? { ...crumb.data } : undefined;
      if (data) {
        delete data.body;
        delete data.request_body;
        delete data.response_body;
        scrubUrls(data);
      }
      return { ...crumb, message: crumb.message ? scrubText(crumb.message) : crumb.message, data };
    });
  }
  return event;
}

/**
 * Error tracking: on when a DSN was configured at build time, never for local builds.
 * The SDK's default integrations stay on: they report uncaught errors and unhandled
 * promise rejections (the global handler on iOS and Android, `onerror` and
 * `onunhandledrejection` on the web), so nothing here reports those again.
 */
export function initMonitoring(): boolean {
  if (!env.sentryDsn || env.environment === 'local') return false;
  Sentry.init({
    dsn: env.sentryDsn,
    environment: env.environment,
    release: env.sentryRelease,
    dist: env.sentryDist,
    sendDefaultPii: false,
    attachScreenshot: false,
    attachViewHierarchy: false,
    tracesSampleRate: 0,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (crumb) => {
      if (crumb.data) {
        const data = { ...crumb.data };
        delete data.body;
        scrubUrls(data);
        return { ...crumb, data };
      }
      return crumb;
    },
  });
  return true;
}

/**
 * Reports an error. Before `initMonitoring` (and so in local builds, which never
 * start the SDK) the SDK has no client and this sends nothing.
 */
export function captureError(error: unknown): void {
  Sentry.captureException(error);
}

const reported = new WeakSet<object>();

/**
 * Reports an error a screen threw while rendering, once: the fallback that shows it
 * can be rendered again (a re-mount, a parent re-render) without a second event.
 */
export function captureRenderError(error: unknown): void {
  if (typeof error === 'object' && error !== null) {
    if (reported.has(error)) return;
    reported.add(error);
  }
  captureError(error);
}
