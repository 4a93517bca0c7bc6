import { act, render, type RenderOptions } from '@testing-library/react-native';
import type { ReactElement } from 'react';

import { createQueryClient } from '@/api/queryClient';
import { setDeviceId, setToken } from '@/api/session';
import { clearMemoryStorage } from '@/auth/storage';
import { resetConnectivity } from '@/connectivity/online';
import { resetReachability } from '@/connectivity/reachability';
import { Providers } from '@/providers/Providers';

type Options = RenderOptions & { token?: string | null };

/** Renders a screen inside the app's real providers, with a fresh cache. */
export async function renderApp(ui: ReactElement, { token = null, ...options }: Options = {}) {
  const queryClient = createQueryClient({ baseDelayMs: 1, gcTime: Infinity });
  setToken(token);
  const utils = render(<Providers client={queryClient}>{ui}</Providers>, options);
  // Let the session bootstrap (device id, stored token) settle.
  await act(async () => {});
  return { ...utils, queryClient };
}

/** Call from afterEach: no state or timers leak into the next test. */
export function resetApp() {
  // (the cache of each test's client is dropped with the client)
  setToken(null);
  setDeviceId(null);
  clearMemoryStorage();
  resetReachability();
  resetConnectivity();
}
