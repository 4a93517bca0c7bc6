import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import { errorFromResponse } from '@/api/errors';
import { usePagedList } from '@/api/usePagedList';

import { inquiryKeys } from '../inquiries/useInquiries';
import { puppyKey } from '../puppy/usePuppy';
import type { PuppyInput } from './puppyForm';

export const staffPuppiesKey = (orgId: string) => ['staff', 'puppies', orgId] as const;

/** Every listing of the organisation, whatever its status. */
export function useOrganizationPuppies(orgId: string) {
  return usePagedList({
    queryKey: staffPuppiesKey(orgId),
    fetchPage: (cursor) =>
      unwrap(
        api.GET('/v1/puppies', {
          params: { query: { organization: orgId, status: ['available', 'pending', 'adopted'], limit: 50, cursor } },
        }),
      ),
  });
}

export const editablePuppyKey = (id: string) => ['staff', 'puppy', id] as const;

/** A puppy with its ETag, which PATCH needs in If-Match. */
export function useEditablePuppy(id: string) {
  return useQuery({
    queryKey: editablePuppyKey(id),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/v1/puppies/{id}', { params: { path: { id } } });
      if (!response.ok || !data) throw errorFromResponse(response, error);
      return { puppy: data, etag: response.headers.get('ETag') };
    },
  });
}

/** Which threads the inbox shows: every one, or those of one status. */
export type InboxFilter = 'all' | 'open' | 'answered' | 'closed';

/** The organisation's inquiries inbox, newest activity first, page by page. */
export function useInbox(orgId: string, filter: InboxFilter = 'all') {
  const status = filter === 'all' ? undefined : filter;
  return usePagedList({
    queryKey: [...inquiryKeys.organization, orgId, filter],
    fetchPage: (cursor) => unwrap(api.GET('/v1/organizations/{id}/inquiries', { params: { path: { id: orgId }, query: { limit: 20, cursor, status } } })),
  });
}

/** A change shows in Browse, the staff listings and the puppy's page. */
function invalidateListings(queryClient: QueryClient, id?: string) {
  void queryClient.invalidateQueries({ queryKey: ['puppies'] });
  void queryClient.invalidateQueries({ queryKey: ['staff', 'puppies'] });
  if (id) void queryClient.invalidateQueries({ queryKey: puppyKey(id) });
}

/** Creates a listing; resolves with the new puppy. */
export function useCreatePuppy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: PuppyInput) => {
      const { data, error, response } = await api.POST('/v1/puppies', { body: input });
      if (!response.ok || !data) throw errorFromResponse(response, error);
      return data;
    },
    onSuccess: () => invalidateListings(queryClient),
  });
}

/**
 * Changes a listing with If-Match, so a stale edit fails (412) instead of overwriting
 * someone else's; the answer's puppy and ETag replace the cached ones.
 */
export function useUpdatePuppy(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ changes, etag }: { changes: PuppyInput; etag: string | null }) => {
      const { data, error, response } = await api.PATCH('/v1/puppies/{id}', {
        params: { path: { id }, header: { 'If-Match': etag ?? '' } },
        body: changes,
      });
      if (!response.ok || !data) throw errorFromResponse(response, error);
      return { puppy: data, etag: response.headers.get('ETag') };
    },
    onSuccess: (result) => {
      queryClient.setQueryData(editablePuppyKey(id), result);
      invalidateListings(queryClient, id);
    },
  });
}
