import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { getToken, onTokenChange, setToken } from '@/api/session';

import { ensureDeviceId } from './deviceId';
import { loadToken, saveToken } from './storage';

export type Me = components['schemas']['Me'];
export type Session = components['schemas']['Session'];

type AuthState = {
  /** False until the stored token and device id have been loaded. */
  ready: boolean;
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
const PRIVATE_KEYS = [['me'], ['favorites'], ['staff'], ['inquiries']];

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [ready, setReady] = useState(false);
  const [token, setTokenState] = useState<string | null>(getToken());

  useEffect(() => {
    let cancelled = false;
    (async () => {
      await ensureDeviceId();
      if (!getToken()) {
        const stored = await loadToken();
        if (stored && !cancelled) setToken(stored);
      }
      if (!cancelled) setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(
    () =>
      onTokenChange((next) => {
        setTokenState(next);
        if (!next) {
          void saveToken(null);
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
      queryClient.setQueryData([...ME_KEY, session.token], session.user);
      await saveToken(session.token);
      setToken(session.token);
      return session.user;
    },
    [queryClient],
  );

  const signIn = useCallback(
    async (email: string, password: string) => startSession(await unwrap(api.POST('/v1/auth/login', { body: { email, password } }))),
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
    try {
      await unwrap(api.POST('/v1/auth/logout'));
    } catch {
      // The token is forgotten locally either way.
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
