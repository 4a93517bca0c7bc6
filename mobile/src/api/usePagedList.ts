import { useInfiniteQuery, useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';

/** One page of a list endpoint: its items and the cursor of the page after it, if any. */
export type Page<T> = { items: T[]; next_cursor?: string | null };

type Cursor = string | undefined;

export type PagedListOptions<T> = {
  queryKey: QueryKey;
  /** Fetches the page that starts at `cursor` (undefined for the first page). */
  fetchPage: (cursor: Cursor) => Promise<Page<T>>;
  enabled?: boolean;
};

export type PagedList<T> = {
  /** Every loaded page's items, in order. */
  items: T[];
  /** Nothing loaded yet (the first page is on its way, or the list is disabled). */
  isPending: boolean;
  /** The last fetch failed, whether of the first page, a later one or a refresh. */
  isError: boolean;
  error: Error | null;
  hasMore: boolean;
  /** The next page is loading (for the list's footer). */
  loadingMore: boolean;
  /** Asks for the next page, unless one is loading, there is none, or the last fetch failed. */
  loadMore: () => void;
  /** The person pulled to refresh and the first page is on its way. */
  refreshing: boolean;
  /** Pull to refresh: starts the list again from its first page. */
  refresh: () => Promise<void>;
  /** Tries the failed fetch again: the next page if that is what failed, otherwise the list. */
  retry: () => void;
};

/**
 * A list read page by page with the API's `next_cursor`, on TanStack Query's infinite
 * queries. Browse, Favourites and the staff lists all page the same way through it.
 */
export function usePagedList<T>({ queryKey, fetchPage, enabled = true }: PagedListOptions<T>): PagedList<T> {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey,
    enabled,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as Cursor,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const { data, hasNextPage, isFetching, isFetchingNextPage, isError, isFetchNextPageError, fetchNextPage, refetch } = query;

  const items = useMemo(() => data?.pages.flatMap((p) => p.items) ?? [], [data]);

  const [refreshing, setRefreshing] = useState(false);

  const loadMore = useCallback(() => {
    // A list's end can be reached many times a second: only ask when asking can help.
    // After a failure the person retries; paging on would repeat the failing request.
    // While refreshing, the first page may not be on its way yet (isFetching is still
    // false): a next page asked for then would cancel the refresh's fetch.
    if (!hasNextPage || isFetching || isError || refreshing) return;
    void fetchNextPage();
  }, [hasNextPage, isFetching, isError, refreshing, fetchNextPage]);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    try {
      // Stop any page on its way, then keep only the first page, so the refetch asks
      // for one page rather than every page the person scrolled through.
      await queryClient.cancelQueries({ queryKey, exact: true });
      queryClient.setQueryData<InfiniteData<Page<T>, Cursor>>(queryKey, (old) =>
        old ? { pages: old.pages.slice(0, 1), pageParams: old.pageParams.slice(0, 1) } : old,
      );
      await refetch();
    } finally {
      setRefreshing(false);
    }
  }, [queryClient, queryKey, refetch]);

  const retry = useCallback(() => {
    // The loaded pages are fine when only the next one failed: fetch just that one again.
    void (isFetchNextPageError ? fetchNextPage() : refetch());
  }, [isFetchNextPageError, fetchNextPage, refetch]);

  return {
    items,
    isPending: query.isPending,
    isError,
    error: query.error,
    hasMore: hasNextPage,
    loadingMore: isFetchingNextPage,
    loadMore,
    refreshing,
    refresh,
    retry,
  };
}
