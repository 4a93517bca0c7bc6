import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import { api, unwrap } from '@/api/client';
import { ApiError } from '@/api/errors';
import type { components } from '@/api/schema';
import { COOKIE_SESSION, getToken, onTokenChange, setToken, usesSessionCookie } from '@/api/session';

import { dropThisDevice, forgetThisDevice } from '@/features/notifications/registration';

import { ensureDeviceId } from './deviceId';
import { loadToken, saveToken } from './storage';

export type Me = components['schemas']['Me'];
export type Session = components['schemas']['Session'];

type AuthState = {
  /** False until the device id is loaded and it is known whether someone is signed in. */
  ready: boolean;
  /** Set while signed in: the bearer token on iOS and Android, only a marker on the web (the session is a cookie). */
  token: string | null;
  user: Me | null;
  /** True while the signed-in user's account is being loaded. */
  loadingUser: boolean;
  signIn: (email: string, password: string) => Promise<Me>;
  signUp: (input: { email: string; password: string; display_name: string }) => Promise<Me>;
  signOut: () => Promise<void>;
  deleteAccount: () => Promise<void>;
};

const AuthContext = createContext<AuthState | null>(null);

export const ME_KEY = ['me'] as const;
/** Queries that belong to the signed-in user and go when they sign out. */
const PRIVATE_KEYS = [['me'], ['favorites'], ['staff'], ['inquiries'], ['saved-searches']];

/**
 * The web: whether the browser holds a live session cookie, asked of `GET /v1/me`
 * (401 means signed out), so a reload keeps the person signed in. The answer becomes
 * the account's cached data. Network failures and 5xx are tried again as any query's
 * are, and wait while the API cannot be reached, so a short outage at start does not
 * look like signing out.
 */
async function restoreCookieSession(queryClient: QueryClient): Promise<boolean> {
  try {
    await queryClient.fetchQuery({ queryKey: [...ME_KEY, COOKIE_SESSION], queryFn: () => unwrap(api.GET('/v1/me')) });
    return true;
  } catch {
    // 401: no session. Anything else, once the tries are spent: signed out for now;
    // signing in again starts a new session.
    return false;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [ready, setReady] = useState(false);
  const [token, setTokenState] = useState<string | null>(getToken());

  useEffect(() => {
    let cancelled = false;
    (async () => {
      await ensureDeviceId();
      if (!getToken()) {
        if (usesSessionCookie()) {
          if ((await restoreCookieSession(queryClient)) && !cancelled) setToken(COOKIE_SESSION);
        } else {
          const stored = await loadToken();
          if (stored && !cancelled) setToken(stored);
        }
      }
      if (!cancelled) setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [queryClient]);

  useEffect(
    () =>
      onTokenChange((next) => {
        setTokenState(next);
        if (!next) {
          void saveToken(null);
          void dropThisDevice();
          for (const key of PRIVATE_KEYS) queryClient.removeQueries({ queryKey: key });
        }
      }),
    [queryClient],
  );

  const me = useQuery({
    queryKey: [...ME_KEY, token],
    queryFn: () => unwrap(api.GET('/v1/me')),
    enabled: ready && !!token,
    staleTime: 5 * 60 * 1000,
  });
  const user = token ? (me.data ?? null) : null;

  const startSession = useCallback(
    async (session: Session) => {
      // On the web the API answers with a cookie instead of a token in the body.
      const signedIn = usesSessionCookie() ? COOKIE_SESSION : session.token;
      if (!signedIn) throw new Error('The API answered the sign-in without a session token');
      queryClient.setQueryData([...ME_KEY, signedIn], session.user);
      if (!usesSessionCookie()) await saveToken(signedIn);
      setToken(signedIn);
      return session.user;
    },
    [queryClient],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const body = usesSessionCookie() ? { email, password, cookie: true } : { email, password };
      return startSession(await unwrap(api.POST('/v1/auth/login', { body })));
    },
    [startSession],
  );

  // Registration answers the same whether or not the address already has an
  // account (so it cannot be used to find out who has one); signing in next
  // tells the person whether the account is theirs.
  const signUp = useCallback(
    async (input: { email: string; password: string; display_name: string }) => {
      await unwrap(api.POST('/v1/auth/register', { body: input }));
      return signIn(input.email, input.password);
    },
    [signIn],
  );

  const signOut = useCallback(async () => {
    // While the session still lets it: this device stops getting the account's
    // notifications. Best effort and short; it never stops the signing out.
    await forgetThisDevice();
    try {
      await unwrap(api.POST('/v1/auth/logout'));
    } catch (error) {
      // A token is forgotten on the device either way. The web's cookie only the API can
      // clear: until it has, the person is still signed in (401: the session had ended).
      if (usesSessionCookie() && !(error instanceof ApiError && error.status === 401)) throw error;
    }
    setToken(null);
  }, []);

  const deleteAccount = useCallback(async () => {
    await unwrap(api.DELETE('/v1/me'));
    setToken(null);
  }, []);

  const value = useMemo<AuthState>(
    () => ({ ready, token, user, loadingUser: !!token && me.isPending, signIn, signUp, signOut, deleteAccount }),
    [ready, token, user, me.isPending, signIn, signUp, signOut, deleteAccount],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside AuthProvider');
  return value;
}

export function isStaff(user: Me | null): user is Me & { organization_id: string } {
  return !!user && (user.role === 'staff' || user.role === 'admin') && !!user.organization_id;
}
