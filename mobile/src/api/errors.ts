import type { components } from './schema';

export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];

/**
 * Every failed API call becomes an ApiError: a problem document from the server,
 * or a network failure (status 0) when no response arrived.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | null;
  /** Seconds to wait before trying again, from the Retry-After header. */
  readonly retryAfter: number | null;

  constructor(options: { status: number; code: string; problem?: Problem | null; retryAfter?: number | null; message?: string }) {
    super(options.message ?? options.problem?.title ?? `Request failed (${options.status})`);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.problem = options.problem ?? null;
    this.retryAfter = options.retryAfter ?? null;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** Per-field messages of a validation problem, keyed by field name. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) if (!(e.field in out)) out[e.field] = e.message;
    return out;
  }
}

export function networkError(cause: unknown): ApiError {
  const error = new ApiError({ status: 0, code: 'network_error', message: 'Network request failed' });
  (error as { cause?: unknown }).cause = cause;
  return error;
}

/** Parses Retry-After: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isProblem(body: unknown): body is Problem {
  return !!body && typeof body === 'object' && typeof (body as Problem).status === 'number' && typeof (body as Problem).code === 'string';
}

/** Builds the ApiError for a non-2xx response whose body has already been parsed (or not). */
export function errorFromResponse(response: Response, body: unknown): ApiError {
  const problem = isProblem(body) ? body : null;
  return new ApiError({
    status: response.status,
    code: problem?.code ?? `http_${response.status}`,
    problem,
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
  });
}

const BY_CODE: Record<string, string> = {
  feature_unavailable: 'Feature temporarily unavailable.',
  unsupported_media_type: 'That file type is not supported. Use a JPEG, PNG or WebP photo.',
  payload_too_large: 'That photo is too large (10 MB at most).',
  photo_limit_reached: 'A puppy can have at most 12 photos. Remove one before adding more.',
  email_taken: 'An account with this email already exists. Try signing in instead.',
  invalid_credentials: 'That email and password do not match an account.',
  precondition_failed: 'Someone else saved this puppy in the meantime. Reload it and try again.',
  precondition_required: 'This change needs the latest version of the puppy. Reload it and try again.',
  database_unavailable: 'Kennel is busy right now. Please try again in a moment.',
  request_in_progress: 'Your message is still being sent. Try again in a moment.',
  idempotency_key_reused: 'This message was already sent with different text.',
  email_unverified: 'Confirm your email address to send messages.',
  saved_search_limit: 'You have 20 saved searches, the most an account can keep. Delete one to save another.',
  saved_search_name_taken: 'You already have a saved search with this name. Choose another.',
};

/** Statuses that always mean one problem, whatever code the server gave it. */
const CODE_OF_STATUS: Record<number, string> = {
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  428: 'precondition_required',
};

const BY_STATUS: Record<number, string> = {
  400: 'Some of the details are not valid. Check the highlighted fields.',
  401: 'Please sign in to continue.',
  403: 'You do not have permission to do that.',
  404: 'We could not find that. It may have been removed.',
  409: 'That conflicts with something that already exists.',
  422: 'Some of the details are not valid. Check the highlighted fields.',
};

/**
 * What a conversation says where a puppy's words would not fit: a thread changed
 * by someone else is reloaded at once (the screen does so), not by the person.
 */
export const THREAD_ERRORS: Readonly<Record<string, string>> = {
  precondition_failed: 'Someone else changed this thread; reloaded.',
  precondition_required: 'Someone else changed this thread; reloaded.',
  idempotency_key_reused: 'Your earlier message was sent (it is above). Send again to add this text as a new message.',
};

/** What the "Contact shelter" form says where its words differ from a thread's. */
export const INQUIRY_ERRORS: Readonly<Record<string, string>> = {
  idempotency_key_reused: 'Your earlier message was sent (it is in Messages). Send again to send this text as a new message.',
};

/**
 * A sentence to show a person for any error. `words` replaces the sentence of some
 * codes where the screen's subject needs other words (`THREAD_ERRORS`, `INQUIRY_ERRORS`).
 */
export function friendlyMessage(error: unknown, words: Readonly<Record<string, string>> = {}): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.isNetworkError) return 'Can’t reach Kennel. Check your connection and try again.';
  const sentence = (code: string | undefined) => (code === undefined ? undefined : (words[code] ?? BY_CODE[code]));
  const byCode = sentence(error.code) ?? sentence(CODE_OF_STATUS[error.status]);
  if (byCode) return byCode;
  if (error.status === 429) {
    return error.retryAfter
      ? `Too many requests. Please wait ${error.retryAfter} second${error.retryAfter === 1 ? '' : 's'} and try again.`
      : 'Too many requests. Please wait a moment and try again.';
  }
  if (error.status === 503) return 'Kennel is busy right now. Please try again in a moment.';
  if (error.status >= 500) return 'Something went wrong on our side. Please try again.';
  const byStatus = BY_STATUS[error.status];
  if (byStatus) return byStatus;
  return error.problem?.detail || error.problem?.title || 'Something went wrong. Please try again.';
}
