import { ApiError } from '@/api/errors';
import { formatCount } from '@/format';

/**
 * A message to or from a shelter, as the API takes it (`NewInquiry` and `NewReply` in
 * openapi.json): 1 to 2,000 characters once surrounding spaces are dropped, line breaks
 * allowed, no other control characters or text-direction overrides, and not made of
 * invisible characters alone. Checked here first so the person hears it at once.
 */
export const MAX_MESSAGE = 2000;

/**
 * The field's own limit, in UTF-16 units as TextInput counts them: room for 2,000
 * characters outside the basic plane, and for a longer paste to be seen and refused.
 */
export const MESSAGE_INPUT_LIMIT = MAX_MESSAGE * 2;

/** Characters as the API counts them: code points of the trimmed text (an emoji is one, not two). */
export function messageLength(text: string): number {
  return [...text.trim()].length;
}

// Control characters other than tab and line breaks, and U+202A–U+202E, U+2066–U+2069.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const DIRECTION = /[\u202A-\u202E\u2066-\u2069]/u;
// White space, zero-width and other characters that show nothing on their own.
const INVISIBLE =
  /^[\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{1D173}-\u{1D17A}\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]*$/u;

/** What is wrong with a message, phrased for the person; null when it can be sent. `empty` asks for one. */
export function validateMessage(text: string, empty: string): string | null {
  const trimmed = text.trim();
  if (INVISIBLE.test(trimmed)) return empty;
  const length = messageLength(trimmed);
  if (length > MAX_MESSAGE) return `Keep the message to ${formatCount(MAX_MESSAGE)} characters (it has ${formatCount(length)}).`;
  if (CONTROL.test(trimmed)) return 'Remove the control characters from the message.';
  if (DIRECTION.test(trimmed)) return 'Remove the text-direction characters from the message.';
  return null;
}

/** The counter under a message field: "12 / 2,000". */
export function messageCounter(text: string): string {
  return `${formatCount(messageLength(text))} / ${formatCount(MAX_MESSAGE)}`;
}

/**
 * The API refused to send because the sender's email address is not confirmed yet
 * (403 `email_unverified`): the screen thought it was, or did not know yet.
 */
export function isEmailUnverified(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'email_unverified';
}
