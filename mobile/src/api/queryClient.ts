import { QueryClient } from '@tanstack/react-query';

import { BASE_DELAY_MS, retryDelay, shouldRetry } from './retry';

export type QueryClientOptions = {
  /** Base of the exponential backoff (tests use a tiny one). */
  baseDelayMs?: number;
  /** How long unused data stays cached; tests use Infinity so no timer outlives them. */
  gcTime?: number;
};

export function createQueryClient({ baseDelayMs = BASE_DELAY_MS, gcTime = 5 * 60 * 1000 }: QueryClientOptions = {}) {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30 * 1000,
        gcTime,
        retry: (failureCount, error) => shouldRetry(failureCount, error),
        retryDelay: (attempt, error) => retryDelay(attempt, error, baseDelayMs),
        refetchOnWindowFocus: false,
      },
      mutations: {
        // Mutations are not repeated automatically: a POST may have reached the server.
        retry: false,
        gcTime,
      },
    },
  });
}
