import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { AppState } from 'react-native';

import { shouldRetry } from '@/api/retry';
import { ME_KEY, useAuth, type Me } from '@/auth/AuthProvider';

import { useFlags } from '../flags/useFlags';
import { listPushTokens, updateNewMatchAlerts, type NewMatchAlerts } from './api';
import { currentPermission, pushSupport, type Permission, type PushSupport } from './device';

/** Under ['me']: forgotten with the account's other data on signing out. */
export const PUSH_TOKENS_KEY = ['me', 'push-tokens'] as const;

/** The account's choice; the API's default is push. */
export function newMatchAlertsOf(user: Me | null | undefined): NewMatchAlerts {
  return user?.new_match_alerts ?? 'push';
}

/** The account's devices that receive push notifications. */
export function usePushTokens(enabled = true) {
  const { token, ready } = useAuth();
  return useQuery({ queryKey: PUSH_TOKENS_KEY, enabled: enabled && ready && !!token, queryFn: listPushTokens });
}

/** Saves how new matches are told (`PATCH /v1/me`); the account on the screen follows the answer. */
export function useUpdateNewMatchAlerts() {
  const queryClient = useQueryClient();
  const { token } = useAuth();
  return useMutation({
    mutationFn: (value: NewMatchAlerts) => updateNewMatchAlerts(value),
    // The same value again changes nothing: safe to repeat after a network failure.
    retry: (count, error) => shouldRetry(count, error, 2),
    onSuccess: (me) => queryClient.setQueryData([...ME_KEY, token], me),
  });
}

export type PushAvailability = {
  /** Whether this device may offer push notifications at all: a phone, a configured build, the flag on. */
  offered: boolean;
  support: PushSupport;
  /** The system's permission; null while it is being read (or when push is not offered). */
  permission: Permission | null;
  /** Reads the permission again (after asking). */
  refresh: () => Promise<Permission | null>;
};

/**
 * Whether push notifications can be offered on this device, and the system's
 * permission, read again whenever the app comes back to the foreground (the person
 * may have changed it in the system's settings meanwhile).
 */
export function usePushAvailability(): PushAvailability {
  const { flags } = useFlags();
  const [support] = useState(pushSupport);
  const offered = support.supported && flags.push_notifications;
  const [permission, setPermission] = useState<Permission | null>(null);

  const refresh = useCallback(async () => {
    if (!offered) return null;
    const value = await currentPermission();
    setPermission(value);
    return value;
  }, [offered]);

  useEffect(() => {
    if (!offered) return;
    void refresh();
    const subscription = AppState.addEventListener('change', (state) => {
      if (state === 'active') void refresh();
    });
    return () => subscription.remove();
  }, [offered, refresh]);

  return { offered, support, permission: offered ? permission : null, refresh };
}
