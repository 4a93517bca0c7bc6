import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import { usePagedList } from '@/api/usePagedList';

import { toQuery, type Filters } from './filters';

/** The puppies matching the filters, page by page. */
export function usePuppies(filters: Filters) {
  return usePagedList({
    queryKey: ['puppies', filters],
    fetchPage: (cursor) => unwrap(api.GET('/v1/puppies', { params: { query: toQuery(filters, cursor) } })),
  });
}

/** Every breed with its name (`enabled`: only when a name is needed). */
export function useBreeds(enabled = true) {
  return useQuery({
    queryKey: ['breeds'],
    enabled,
    queryFn: () => unwrap(api.GET('/v1/breeds')),
    staleTime: 60 * 60 * 1000,
  });
}
