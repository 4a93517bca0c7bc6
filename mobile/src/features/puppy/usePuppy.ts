import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';

export const puppyKey = (id: string) => ['puppy', id] as const;

export function usePuppy(id: string) {
  return useQuery({
    queryKey: puppyKey(id),
    queryFn: () => unwrap(api.GET('/v1/puppies/{id}', { params: { path: { id } } })),
  });
}
