import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { ApiError } from '@/api/errors';
import { shouldRetry } from '@/api/retry';
import { getToken, setToken } from '@/api/session';
import { ME_KEY } from '@/auth/AuthProvider';

/** How long "Send the link again" waits after sending: the API sends one link every two minutes. */
export const RESEND_WAIT_MS = 2 * 60 * 1000;

/** Asks for a link to choose a new password. The answer is the same whether or not the address has an account. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => unwrap(api.POST('/v1/auth/password-reset', { body: { email } })),
  });
}

/**
 * Sets a new password with the token of a reset link. The API signs the account out
 * everywhere, so the session kept on this device goes too.
 */
export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (input: { token: string; new_password: string }) => unwrap(api.POST('/v1/auth/password-reset/confirm', { body: input })),
    onSuccess: () => {
      if (getToken()) setToken(null);
    },
  });
}

/** A link whose token is bad, expired or already used. */
export function isBadLink(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400;
}

/** What following a link from an email came to. */
export type LinkOutcome = 'confirmed' | 'expired' | 'taken';

type LinkKind = 'verify-email' | 'confirm-email';

/**
 * Follows the token of a confirmation link once: the answer is kept for the token, so
 * the screen rendering again, or being opened again, does not send it again (a token
 * works once, and a second try would say it was used). Network failures are not
 * tried again automatically (the first try may have used the token); the screen
 * offers to. A confirmed address refreshes the signed-in account.
 */
function useLinkConfirmation(kind: LinkKind, token: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['email-link', kind, token],
    enabled: !!token,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnMount: false,
    refetchOnReconnect: false,
    refetchOnWindowFocus: false,
    retry: (count, error) => !(error instanceof ApiError && error.isNetworkError) && shouldRetry(count, error),
    queryFn: async (): Promise<LinkOutcome> => {
      const body = { token: token ?? '' };
      try {
        await unwrap(kind === 'verify-email' ? api.POST('/v1/auth/verify-email', { body }) : api.POST('/v1/auth/email-change/confirm', { body }));
      } catch (error) {
        if (isBadLink(error)) return 'expired';
        if (error instanceof ApiError && error.status === 409) return 'taken';
        throw error;
      }
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
      return 'confirmed';
    },
  });
}

/** Confirms the account's address with the token of a confirmation link (`/verify-email?token=…`). */
export const useVerifyEmail = (token: string | null) => useLinkConfirmation('verify-email', token);

/** Moves the account to its new address with the token of a link sent there (`/confirm-email?token=…`). */
export const useConfirmEmailChange = (token: string | null) => useLinkConfirmation('confirm-email', token);

/**
 * Sends the signed-in account a new confirmation link. After a link is sent (or the
 * API says to wait) the button waits before it can send again.
 */
export function useResendVerification() {
  const queryClient = useQueryClient();
  const [waitMs, setWaitMs] = useState<number | null>(null);
  const mutation = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/me/verification-email')),
    onSuccess: () => setWaitMs(RESEND_WAIT_MS),
    onError: (error) => {
      if (error instanceof ApiError && error.status === 429) setWaitMs(error.retryAfter ? error.retryAfter * 1000 : RESEND_WAIT_MS);
    },
    // The address may have been confirmed meanwhile (on another device).
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ME_KEY }),
  });
  useEffect(() => {
    if (waitMs === null) return;
    const timer = setTimeout(() => setWaitMs(null), waitMs);
    return () => clearTimeout(timer);
  }, [waitMs]);
  return {
    send: () => mutation.mutate(),
    sending: mutation.isPending,
    sent: mutation.isSuccess,
    error: mutation.isError ? mutation.error : null,
    waiting: waitMs !== null,
  };
}
