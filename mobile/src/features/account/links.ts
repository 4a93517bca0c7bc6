import { router } from 'expo-router';

/**
 * Where the screens of links from emails lead. They are often opened straight from
 * the email, with nothing under them but the tabs: these go back to the tab when it
 * is in the stack and open it otherwise.
 */
export const toBrowse = () => router.dismissTo('/');
export const toAccount = () => router.dismissTo('/account');
export const toForgotPassword = () => router.replace('/forgot-password');

/** The one value of a query parameter (a link may repeat it), or null when it is missing or blank. */
export function firstParam(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : null;
}
