import { useQueryClient } from '@tanstack/react-query';
import * as Notifications from 'expo-notifications';
import { router } from 'expo-router';
import { useEffect, useRef, useState } from 'react';
import { Platform } from 'react-native';

import { useAuth } from '@/auth/AuthProvider';

import { useFlags } from '../flags/useFlags';
import { useOpenedSearch } from '../searches/OpenedSearch';
import { useOpenSavedSearch } from '../searches/useSavedSearches';
import { currentPermission, pushSupport, type PushSupport } from './device';
import { registerThisDevice } from './registration';
import { PUSH_TOKENS_KEY } from './usePush';

/** What a tapped notification asks the app to show. */
type Target = { id: string; savedSearchId: string };

/** A notification about new matches of a saved search: `data` is `{type: "new_matches", saved_search_id}`. */
export function targetOf(response: Notifications.NotificationResponse | null | undefined): Target | null {
  const request = response?.notification?.request;
  const data = request?.content?.data as Record<string, unknown> | undefined;
  if (!request || data?.type !== 'new_matches' || typeof data.saved_search_id !== 'string' || !data.saved_search_id) return null;
  return { id: request.identifier, savedSearchId: data.saved_search_id };
}

/**
 * Signed in with notifications allowed: registers this device's token with the
 * account on every start (a token can change), and when the person signs in again.
 */
function RegisterOnStart({ support }: { support: Extract<PushSupport, { supported: true }> }) {
  const queryClient = useQueryClient();
  const { ready, token } = useAuth();
  const { flags } = useFlags();
  const enabled = ready && !!token && flags.push_notifications;
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    (async () => {
      if ((await currentPermission()) !== 'granted' || cancelled) return;
      try {
        await registerThisDevice(support);
        void queryClient.invalidateQueries({ queryKey: PUSH_TOKENS_KEY });
      } catch {
        // Tried again on the next start; meanwhile the API emails this account's alerts
        // if no other device of it is registered.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [enabled, support, token, queryClient]);
  return null;
}

/**
 * A tap on a notification about new matches opens that saved search as its "Open"
 * on the saved searches screen does: Browse with its filters and the puppies listed
 * since marked New. The notification that launched the app is handled too, once the
 * session is known; signed out, the saved searches screen asks to sign in.
 */
function NotificationTaps() {
  const { ready, token } = useAuth();
  const { show } = useOpenedSearch();
  const open = useOpenSavedSearch();
  const [pending, setPending] = useState<Target | null>(null);
  const handled = useRef(new Set<string>());

  useEffect(() => {
    Notifications.setNotificationHandler({
      // While the app is open, a notification still shows, without a sound.
      handleNotification: async () => ({ shouldShowBanner: true, shouldShowList: true, shouldPlaySound: false, shouldSetBadge: false }),
    });
    const take = (response: Notifications.NotificationResponse | null | undefined) => {
      const target = targetOf(response);
      if (!target || handled.current.has(target.id)) return;
      handled.current.add(target.id);
      setPending(target);
    };
    const subscription = Notifications.addNotificationResponseReceivedListener(take);
    // The tap that launched the app came before this listener.
    Notifications.getLastNotificationResponseAsync()
      .then((response) => {
        take(response);
        if (response) return Notifications.clearLastNotificationResponseAsync();
      })
      .catch(() => {});
    return () => subscription.remove();
  }, []);

  const mutate = open.mutate;
  useEffect(() => {
    if (!pending || !ready) return;
    setPending(null);
    if (!token) {
      router.navigate('/saved-searches');
      return;
    }
    mutate(pending.savedSearchId, {
      onSuccess: ({ search, new_since }) => {
        show(search, new_since);
        router.navigate('/');
      },
      // Deleted since, or not this account's: the list of searches says what there is.
      onError: () => router.navigate('/saved-searches'),
    });
  }, [pending, ready, token, mutate, show]);
  return null;
}

/** Push notifications on iOS and Android: registering this device, and opening what a notification is about. */
export function PushNotifications() {
  const [support] = useState(pushSupport);
  if (Platform.OS === 'web') return null;
  return (
    <>
      {support.supported ? <RegisterOnStart support={support} /> : null}
      <NotificationTaps />
    </>
  );
}
