import { useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import { errorFromResponse } from '@/api/errors';

export const staffPuppiesKey = (orgId: string) => ['staff', 'puppies', orgId] as const;

/** Every listing of the organisation, whatever its status. */
export function useOrganizationPuppies(orgId: string) {
  return useInfiniteQuery({
    queryKey: staffPuppiesKey(orgId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/puppies', {
          params: { query: { organization: orgId, status: ['available', 'pending', 'adopted'], limit: 50, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
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

export function useInbox(orgId: string) {
  return useInfiniteQuery({
    queryKey: ['inquiries', 'organization', orgId],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/organizations/{id}/inquiries', { params: { path: { id: orgId }, query: { limit: 20, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
