import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { apiFetch } from '@/api/client';
import { ApiError, errorFromResponse } from '@/api/errors';
import { shouldRetry } from '@/api/retry';
import { useAuth } from '@/auth/AuthProvider';

export type SavedSearch = {
  id: string;
  name: string;
  /** The browse query string (`GET /v1/puppies`), without `cursor` and `limit`. */
  query: string;
  /** Kept and listed, but sends no alerts. */
  paused: boolean;
  created_at: string;
  last_opened_at: string | null;
};
export type SavedSearchList = { items: SavedSearch[] };
export type OpenedSavedSearch = { search: SavedSearch; new_since: string };

export const SAVED_SEARCHES_KEY = ['saved-searches'] as const;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await apiFetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw errorFromResponse(response, parsed);
  return parsed as T;
}

const path = (id: string) => `/v1/me/saved-searches/${encodeURIComponent(id)}`;

/** Puts a search that came back from the API in the list, where it was or first (the newest). */
function store(queryClient: QueryClient, search: SavedSearch) {
  queryClient.setQueryData<SavedSearchList>(SAVED_SEARCHES_KEY, (list) => {
    if (!list) return list;
    const at = list.items.findIndex((s) => s.id === search.id);
    if (at < 0) return { items: [search, ...list.items] };
    const items = [...list.items];
    items[at] = search;
    return { items };
  });
}

/** The signed-in person's saved searches, newest first (at most 20: one request). */
export function useSavedSearches() {
  const { token, ready } = useAuth();
  return useQuery({
    queryKey: SAVED_SEARCHES_KEY,
    enabled: ready && !!token,
    queryFn: () => call<SavedSearchList>('GET', '/v1/me/saved-searches'),
  });
}

/** Saves the browse filters under a name. Never repeated by itself: a second try could save twice. */
export function useSaveSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; query: string }) => call<SavedSearch>('POST', '/v1/me/saved-searches', input),
    onSuccess: (search) => store(queryClient, search),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY }),
  });
}

/** Renames, pauses or resumes a saved search. */
export function useUpdateSavedSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: { id: string; name?: string; paused?: boolean }) => call<SavedSearch>('PATCH', path(id), change),
    // The same change again changes nothing: safe to repeat after a network failure.
    retry: (count, error) => shouldRetry(count, error, 2),
    onSuccess: (search) => store(queryClient, search),
    onError: (error) => {
      // Deleted meanwhile (on another device): the list is asked again.
      if (error instanceof ApiError && error.status === 404) void queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY });
    },
  });
}

/** Deletes a saved search; one already gone (404) is as good as deleted. */
export function useDeleteSavedSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      try {
        await call<void>('DELETE', path(id));
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
      return id;
    },
    retry: (count, error) => shouldRetry(count, error, 2),
    onSuccess: (id) => {
      queryClient.setQueryData<SavedSearchList>(SAVED_SEARCHES_KEY, (list) => (list ? { items: list.items.filter((s) => s.id !== id) } : list));
      void queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY });
    },
  });
}

/**
 * Records a visit to a saved search. The answer has the search (opened just now) and
 * `new_since`, the visit before (its creation on the first one): puppies listed after
 * it are new to the person. Not repeated by itself: a second visit would move it.
 */
export function useOpenSavedSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call<OpenedSavedSearch>('POST', `${path(id)}/open`),
    onSuccess: ({ search }) => {
      store(queryClient, search);
      // Browse then shows the puppies listed now, not a list kept from earlier.
      void queryClient.invalidateQueries({ queryKey: ['puppies'] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 404) void queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY });
    },
  });
}
