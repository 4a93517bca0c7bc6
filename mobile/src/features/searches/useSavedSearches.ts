import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import { ApiError } from '@/api/errors';
import { shouldRetry } from '@/api/retry';
import type { components } from '@/api/schema';
import { useAuth } from '@/auth/AuthProvider';

import { useOpenedSearch } from './OpenedSearch';

export type SavedSearch = components['schemas']['SavedSearch'];
export type SavedSearchList = components['schemas']['SavedSearchList'];

export const SAVED_SEARCHES_KEY = ['saved-searches'] as const;

const byId = (id: string) => ({ params: { path: { id } } });

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
    queryFn: () => unwrap(api.GET('/v1/me/saved-searches')),
  });
}

/** Saves the browse filters under a name. Never repeated by itself: a second try could save twice. */
export function useSaveSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: components['schemas']['NewSavedSearch']) => unwrap(api.POST('/v1/me/saved-searches', { body: input })),
    onSuccess: (search) => store(queryClient, search),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY }),
  });
}

/** Renames, pauses or resumes a saved search. */
export function useUpdateSavedSearch() {
  const queryClient = useQueryClient();
  const { renamed } = useOpenedSearch();
  return useMutation({
    mutationFn: ({ id, ...change }: { id: string } & components['schemas']['SavedSearchChanges']) =>
      unwrap(api.PATCH('/v1/me/saved-searches/{id}', { ...byId(id), body: change })),
    // The same change again changes nothing: safe to repeat after a network failure.
    retry: (count, error) => shouldRetry(count, error, 2),
    onSuccess: (search) => {
      store(queryClient, search);
      renamed(search);
    },
    onError: (error) => {
      // Deleted meanwhile (on another device): the list is asked again.
      if (error instanceof ApiError && error.status === 404) void queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY });
    },
  });
}

/** Deletes a saved search; one already gone (404) is as good as deleted. */
export function useDeleteSavedSearch() {
  const queryClient = useQueryClient();
  const { deleted } = useOpenedSearch();
  return useMutation({
    mutationFn: async (id: string) => {
      try {
        await unwrap(api.DELETE('/v1/me/saved-searches/{id}', byId(id)));
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
      return id;
    },
    retry: (count, error) => shouldRetry(count, error, 2),
    onSuccess: (id) => {
      queryClient.setQueryData<SavedSearchList>(SAVED_SEARCHES_KEY, (list) => (list ? { items: list.items.filter((s) => s.id !== id) } : list));
      deleted(id);
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
    mutationFn: (id: string) => unwrap(api.POST('/v1/me/saved-searches/{id}/open', byId(id))),
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
