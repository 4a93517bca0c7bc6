import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';

import { createQueryClient } from '@/api/queryClient';
import { AuthProvider } from '@/auth/AuthProvider';
import { startConnectivity } from '@/connectivity/online';

/** Everything the screens need: the query cache, connectivity and the session. */
export function Providers({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  // Started before the first render's effects, so the first queries already know
  // whether the device is online.
  const [stopConnectivity] = useState(() => startConnectivity());
  useEffect(() => stopConnectivity, [stopConnectivity]);
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>{children}</AuthProvider>
    </QueryClientProvider>
  );
}
