import { ApiError } from './errors';

export const MAX_RETRIES = 3;
export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 30000;
/** A Retry-After longer than this is not waited for automatically. */
export const MAX_RETRY_AFTER_S = 60;

/** Network failures, 5xx and 429 are worth another try; other 4xx never are. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.isNetworkError) return true;
  if (error.status === 429) return error.retryAfter === null || error.retryAfter <= MAX_RETRY_AFTER_S;
  return error.status >= 500;
}

export function shouldRetry(failureCount: number, error: unknown, maxRetries = MAX_RETRIES): boolean {
  return failureCount < maxRetries && isRetryable(error);
}

/**
 * Exponential backoff with jitter (base, 2×base, 4×base … capped), or exactly the
 * server's Retry-After when it sent one.
 */
export function retryDelay(
  attemptIndex: number,
  error: unknown,
  baseMs = BASE_DELAY_MS,
  random: () => number = Math.random,
): number {
  if (error instanceof ApiError && error.retryAfter !== null) {
    return Math.min(error.retryAfter, MAX_RETRY_AFTER_S) * 1000;
  }
  const exp = Math.min(MAX_DELAY_MS, baseMs * 2 ** attemptIndex);
  return Math.round(exp / 2 + (random() * exp) / 2);
}
