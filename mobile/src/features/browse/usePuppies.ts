import { useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';

import { toQuery, type Filters } from './filters';

export function usePuppies(filters: Filters) {
  return useInfiniteQuery({
    queryKey: ['puppies', filters],
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/puppies', { params: { query: toQuery(filters, pageParam) } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useBreeds() {
  return useQuery({
    queryKey: ['breeds'],
    queryFn: () => unwrap(api.GET('/v1/breeds')),
    staleTime: 60 * 60 * 1000,
  });
}
