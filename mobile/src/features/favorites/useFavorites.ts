import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import { shouldRetry } from '@/api/retry';
import { usePagedList } from '@/api/usePagedList';
import { useAuth } from '@/auth/AuthProvider';

const IDS_KEY = ['favorites', 'ids'] as const;
const LIST_KEY = ['favorites', 'list'] as const;
const MAX_PAGES = 10;

/** The ids of every saved puppy, to show the heart on a puppy's page. */
export function useFavoriteIds() {
  const { token, ready } = useAuth();
  return useQuery({
    queryKey: IDS_KEY,
    enabled: ready && !!token,
    queryFn: async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const data = await unwrap(api.GET('/v1/me/favorites', { params: { query: { limit: 100, cursor } } }));
        ids.push(...data.items.map((p) => p.id));
        if (!data.next_cursor) break;
        cursor = data.next_cursor;
      }
      return ids;
    },
  });
}

/** The saved puppies, page by page, once signed in. */
export function useFavoritesList() {
  const { token, ready } = useAuth();
  return usePagedList({
    queryKey: LIST_KEY,
    enabled: ready && !!token,
    fetchPage: (cursor) => unwrap(api.GET('/v1/me/favorites', { params: { query: { limit: 20, cursor } } })),
  });
}

/** Saves or unsaves a puppy at once on screen; puts it back if the server says no. */
export function useToggleFavorite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ puppyId, favourite }: { puppyId: string; favourite: boolean }) => {
      const params = { params: { path: { puppy_id: puppyId } } };
      await unwrap(favourite ? api.PUT('/v1/me/favorites/{puppy_id}', params) : api.DELETE('/v1/me/favorites/{puppy_id}', params));
    },
    // PUT and DELETE are idempotent: safe to repeat after a network failure.
    retry: (count, error) => shouldRetry(count, error, 2),
    onMutate: async ({ puppyId, favourite }) => {
      await queryClient.cancelQueries({ queryKey: IDS_KEY });
      const previous = queryClient.getQueryData<string[]>(IDS_KEY);
      queryClient.setQueryData<string[]>(IDS_KEY, (ids = []) =>
        favourite ? (ids.includes(puppyId) ? ids : [...ids, puppyId]) : ids.filter((id) => id !== puppyId),
      );
      return { previous };
    },
    onError: (_error, _vars, context) => {
      queryClient.setQueryData(IDS_KEY, context?.previous);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['favorites'] });
    },
  });
}
