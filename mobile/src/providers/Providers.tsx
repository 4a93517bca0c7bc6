import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';

import { createQueryClient } from '@/api/queryClient';
import { AuthProvider } from '@/auth/AuthProvider';
import { startConnectivity } from '@/connectivity/online';
import { PushNotifications } from '@/features/notifications/PushNotifications';
import { OpenedSearchProvider } from '@/features/searches/OpenedSearch';

/**
 * Everything the screens need: the query cache, connectivity, the session, the saved
 * search Browse shows, and push notifications (registering the device, opening what a
 * tapped one is about).
 */
export function Providers({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  // Started before the first render's effects, so the first queries already know
  // whether the device is online.
  const [stopConnectivity] = useState(() => startConnectivity());
  useEffect(() => stopConnectivity, [stopConnectivity]);
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <OpenedSearchProvider>
          <PushNotifications />
          {children}
        </OpenedSearchProvider>
      </AuthProvider>
    </QueryClientProvider>
  );
}
