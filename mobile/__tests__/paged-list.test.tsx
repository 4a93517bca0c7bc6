import { act, screen, waitFor } from '@testing-library/react-native';
import { Text } from 'react-native';

import { api, unwrap } from '@/api/client';
import { usePagedList, type PagedList } from '@/api/usePagedList';
import type { PuppySummary } from '@/features/puppy/format';

import { page, puppy } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi, type Reply } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

// The hook's latest result, as the component last rendered it.
let list: PagedList<PuppySummary>;

function Probe() {
  list = usePagedList({
    queryKey: ['probe'],
    fetchPage: (cursor) => unwrap(api.GET('/v1/puppies', { params: { query: { cursor } } })),
  });
  if (list.isPending) return <Text>loading</Text>;
  return <Text>{list.items.map((p) => p.name).join(', ') || 'empty'}</Text>;
}

/** Three pages: 1–2, then 3 (cursor c2), then 4 (cursor c3), the last. */
const PAGES: Record<string, Reply> = {
  first: { body: page([puppy(1), puppy(2)], 'c2') },
  c2: { body: page([puppy(3)], 'c3') },
  c3: { body: page([puppy(4)]) },
};

function servePages(fake: FakeApi, overrides: Record<string, Reply | (() => Promise<Reply>)> = {}) {
  fake.on('GET', '/v1/puppies', (_req, url) => {
    const cursor = url.searchParams.get('cursor') ?? 'first';
    const reply = overrides[cursor] ?? PAGES[cursor]!;
    return typeof reply === 'function' ? reply() : reply;
  });
}

const requestsFor = (fake: FakeApi, cursor: string | null) =>
  fake.calls.filter((c) => c.path === '/v1/puppies' && c.url.searchParams.get('cursor') === cursor).length;

const loadMore = () => act(() => list.loadMore());

describe('usePagedList', () => {
  it('flattens the pages in order, page by page', async () => {
    const fake = installFakeApi();
    servePages(fake);
    await renderApp(<Probe />);
    expect(await screen.findByText('Puppy 1, Puppy 2')).toBeTruthy();
    expect(list.hasMore).toBe(true);
    loadMore();
    expect(await screen.findByText('Puppy 1, Puppy 2, Puppy 3')).toBeTruthy();
    loadMore();
    expect(await screen.findByText('Puppy 1, Puppy 2, Puppy 3, Puppy 4')).toBeTruthy();
    expect(list.hasMore).toBe(false);
    expect(requestsFor(fake, 'c2')).toBe(1);
    expect(requestsFor(fake, 'c3')).toBe(1);
  });

  it('does not ask for a page while one is loading', async () => {
    const fake = installFakeApi();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    servePages(fake, { c2: async () => (await gate, PAGES.c2!) });
    await renderApp(<Probe />);
    await screen.findByText('Puppy 1, Puppy 2');
    loadMore();
    await waitFor(() => expect(list.loadingMore).toBe(true));
    loadMore();
    loadMore();
    expect(requestsFor(fake, 'c2')).toBe(1);
    release();
    expect(await screen.findByText('Puppy 1, Puppy 2, Puppy 3')).toBeTruthy();
    expect(list.loadingMore).toBe(false);
    expect(requestsFor(fake, 'c2')).toBe(1);
    expect(requestsFor(fake, 'c3')).toBe(0);
  });

  it('does nothing at the end of the list', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/puppies', { body: page([puppy(1)]) });
    await renderApp(<Probe />);
    await screen.findByText('Puppy 1');
    expect(list.hasMore).toBe(false);
    loadMore();
    loadMore();
    expect(fake.count('GET', '/v1/puppies')).toBe(1);
  });

  it('stops paging after a failed page, and retry fetches that page again', async () => {
    const fake = installFakeApi();
    servePages(fake, { c2: { status: 400, body: problem(400, 'validation_failed', 'Invalid cursor') } });
    await renderApp(<Probe />);
    await screen.findByText('Puppy 1, Puppy 2');
    loadMore();
    await waitFor(() => expect(list.isError).toBe(true));
    // The pages already loaded stay on screen.
    expect(screen.getByText('Puppy 1, Puppy 2')).toBeTruthy();
    loadMore();
    loadMore();
    expect(requestsFor(fake, 'c2')).toBe(1);

    servePages(fake);
    act(() => list.retry());
    expect(await screen.findByText('Puppy 1, Puppy 2, Puppy 3')).toBeTruthy();
    expect(list.isError).toBe(false);
    expect(requestsFor(fake, 'c2')).toBe(2);
    // Only the failed page was asked for again, not the ones before it.
    expect(requestsFor(fake, null)).toBe(1);
    // Paging works again once the retry succeeded.
    loadMore();
    expect(await screen.findByText('Puppy 1, Puppy 2, Puppy 3, Puppy 4')).toBeTruthy();
  });

  it('retries a failed first page from the start', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/puppies', { status: 403, body: problem(403, 'forbidden', 'Forbidden') });
    await renderApp(<Probe />);
    await waitFor(() => expect(list.isError).toBe(true));
    expect(list.error).toBeTruthy();
    loadMore();
    expect(fake.count('GET', '/v1/puppies')).toBe(1);
    servePages(fake);
    act(() => list.retry());
    expect(await screen.findByText('Puppy 1, Puppy 2')).toBeTruthy();
    expect(requestsFor(fake, null)).toBe(2);
  });

  it('refresh starts again from a fresh first page', async () => {
    const fake = installFakeApi();
    servePages(fake);
    await renderApp(<Probe />);
    await screen.findByText('Puppy 1, Puppy 2');
    loadMore();
    await screen.findByText('Puppy 1, Puppy 2, Puppy 3');

    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    servePages(fake, { first: async () => (await gate, { body: page([puppy(9), puppy(1)], 'c2') }) });
    let done!: Promise<void>;
    act(() => {
      done = list.refresh();
    });
    await waitFor(() => expect(list.refreshing).toBe(true));
    // No paging while the list is being replaced.
    loadMore();
    release();
    await act(() => done);
    // Only the first page, as the server has it now; the later pages load again on demand.
    // (The render that shows it may land just after the refresh settles on a busy machine.)
    await waitFor(() => {
      expect(list.refreshing).toBe(false);
      expect(screen.getByText('Puppy 9, Puppy 1')).toBeTruthy();
    });
    expect(requestsFor(fake, null)).toBe(2);
    expect(requestsFor(fake, 'c2')).toBe(1);
    expect(list.hasMore).toBe(true);
  });
});
