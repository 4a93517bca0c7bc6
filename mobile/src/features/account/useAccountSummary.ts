import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import { useAuth } from '@/auth/AuthProvider';

const MAX_PAGES = 10;
const PAGE = 100;

/**
 * How many inquiries the signed-in person has sent. The API has no total, so the
 * pages are counted (at most 1,000 inquiries; `more` says there are others).
 */
export function useMyInquiryCount() {
  const { token, ready } = useAuth();
  return useQuery({
    queryKey: ['inquiries', 'mine', 'count'],
    enabled: ready && !!token,
    queryFn: async () => {
      let count = 0;
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const data = await unwrap(api.GET('/v1/me/inquiries', { params: { query: { limit: PAGE, cursor } } }));
        count += data.items.length;
        if (!data.next_cursor) return { count, more: false };
        cursor = data.next_cursor;
      }
      return { count, more: true };
    },
  });
}
