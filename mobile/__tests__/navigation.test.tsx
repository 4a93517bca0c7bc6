import { router } from 'expo-router';
import { fireEvent, renderRouter, screen, waitFor } from 'expo-router/testing-library';

import { setToken } from '@/api/session';

import { answered, config, detail, inquiryPage, ME, ORG, page, puppy, STAFF } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi } from './helpers/network';
import { resetApp } from './helpers/render';

afterEach(resetApp);

const ID = detail(1).id;

function api(): FakeApi {
  const fake = installFakeApi();
  fake.on('GET', '/v1/puppies', { body: page([puppy(1), puppy(2)]) });
  // The latest route wins: any other puppy is unknown.
  fake.on('GET', /^\/v1\/puppies\/[^/]+$/, { status: 404, body: problem(404, 'not_found', 'Not found') });
  fake.on('GET', `/v1/puppies/${ID}`, { body: detail(1) });
  fake.on('GET', '/v1/config', { body: { environment: 'local', flags: { assistant: false, inquiries: false, photo_uploads: false } } });
  return fake;
}

/** The real routes of app/, opened at a URL as a fresh load of it would. */
async function openAt(url: string) {
  const app = renderRouter('./app', { initialUrl: url });
  await waitFor(() => expect(app.getPathname()).toBe(url));
  return app;
}

describe('Navigation', () => {
  it('a puppy opened from a link has Browse and the tab bar under it, and a back control', async () => {
    const fake = api();
    const app = await openAt(`/puppy/${ID}`);
    expect(await screen.findByText('A friendly, curious beagle.')).toBeTruthy();
    // The tabs are the first screen of the stack: Browse is under the puppy.
    expect(router.canGoBack()).toBe(true);
    await waitFor(() => expect(fake.count('GET', '/v1/puppies')).toBeGreaterThan(0));
    const back = screen.getByRole('button', { name: 'Back' });
    fireEvent.press(back);
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByText('Puppy 2')).toBeTruthy();
    // Browse's address does not carry the puppy's id.
    await waitFor(() => expect(app.getPathnameWithParams()).toBe('/'));
    expect(screen.getByRole('button', { name: 'Filters' })).toBeTruthy();
    expect(screen.getByLabelText('Favourites')).toBeTruthy();
    expect(screen.getByLabelText('Account')).toBeTruthy();
  });

  it('an unknown puppy says so, with a way back to browse', async () => {
    api();
    const app = await openAt('/puppy/00000000-0000-4000-8000-00000000dead');
    expect(await screen.findByRole('header', { name: 'Puppy not found' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry loading' })).toBeNull();
    fireEvent.press(screen.getByRole('button', { name: 'Back to browse' }));
    await waitFor(() => expect(app.getPathnameWithParams()).toBe('/'));
    expect(await screen.findByText('Puppy 1')).toBeTruthy();
  });

  it('an unknown address shows a friendly page with a link home', async () => {
    api();
    const app = await openAt('/no/such/page');
    expect(screen.getByRole('header', { name: 'Page not found' })).toBeTruthy();
    expect(screen.getByText(/couldn’t find this page/)).toBeTruthy();
    fireEvent.press(screen.getByRole('link', { name: 'Go to Browse puppies' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByText('Puppy 1')).toBeTruthy();
  });
});

describe('Navigation: conversations', () => {
  const THREAD = answered(1);
  const THREAD_PATH = `/v1/inquiries/${THREAD.id}`;

  /** Signed in as `user`, with one thread the shelter answered; reading it clears the unread counts. */
  function conversationApi(user = ME) {
    const fake = api();
    let read = false;
    fake.on('GET', '/v1/config', { body: config({ inquiries: true }) });
    fake.on('GET', '/v1/me', { body: user });
    fake.on('GET', '/v1/me/unread', () => ({ body: read ? { threads: 0, messages: 0 } : { threads: 1, messages: 3 } }));
    fake.on('GET', '/v1/me/inquiries', () => ({ body: inquiryPage([answered(1, { unread_count: read ? 0 : 3 })]) }));
    fake.on('GET', `/v1/organizations/${ORG.id}/inquiries`, () => ({ body: inquiryPage([answered(1, { unread_count: read ? 0 : 3 })]) }));
    fake.on('GET', THREAD_PATH, () => ({ body: answered(1, { unread_count: read ? 0 : 3 }), headers: { ETag: 'W/"2-aaaa"' } }));
    fake.on('POST', `${THREAD_PATH}/read`, () => {
      read = true;
      return { status: 204 };
    });
    setToken('t');
    return fake;
  }

  it('the Messages tab shows the unread count; opening a thread reads it and the count goes', async () => {
    const fake = conversationApi();
    const app = await openAt('/messages');
    expect(await screen.findByLabelText('Messages, 3 unread')).toBeTruthy();
    fireEvent.press(await screen.findByRole('button', { name: /^Puppy 1 with Rose City Rescue, Answered, 3 unread, / }));
    await waitFor(() => expect(app.getPathname()).toBe(`/inquiry/${THREAD.id}`));
    expect(await screen.findByRole('header', { name: 'Puppy 1' })).toBeTruthy();
    await waitFor(() => expect(fake.count('POST', `${THREAD_PATH}/read`)).toBe(1));
    // Reading the thread asks for the counts again: the badge (on the tab bar under the thread) goes.
    const underneath = { includeHiddenElements: true };
    await waitFor(() => expect(screen.getByLabelText('Messages', underneath)).toBeTruthy());
    expect(screen.queryByLabelText('Messages, 3 unread', underneath)).toBeNull();
    fireEvent.press(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(app.getPathname()).toBe('/messages'));
    expect(await screen.findByRole('button', { name: /^Puppy 1 with Rose City Rescue, Answered, Jun 2, 2025/ })).toBeTruthy();
  });

  it('the unread count is asked for again when a tab comes into view', async () => {
    const fake = conversationApi();
    await openAt('/messages');
    await screen.findByLabelText('Messages, 3 unread');
    const before = fake.count('GET', '/v1/me/unread');
    fireEvent.press(screen.getByLabelText('Favourites'));
    await waitFor(() => expect(fake.count('GET', '/v1/me/unread')).toBeGreaterThan(before));
  });

  it('staff open a thread from the inquiries inbox, and their unread count is on the Staff tab', async () => {
    conversationApi(STAFF);
    const app = await openAt('/staff/inquiries');
    // The tab bar is under the inbox.
    const underneath = { includeHiddenElements: true };
    expect(await screen.findByLabelText('Staff, 3 unread', underneath)).toBeTruthy();
    expect(screen.getByLabelText('Messages', underneath)).toBeTruthy();
    fireEvent.press(await screen.findByRole('button', { name: /^Puppy 1 with Ada, Answered, 3 unread, / }));
    await waitFor(() => expect(app.getPathname()).toBe(`/inquiry/${THREAD.id}`));
    expect(await screen.findByRole('button', { name: 'Close this conversation' })).toBeTruthy();
    expect(screen.getByText('with Ada · ada@example.org')).toBeTruthy();
  });

  it('an unknown conversation opened from a link says so, with a way to Messages', async () => {
    conversationApi();
    const app = await openAt('/inquiry/00000000-0000-4000-8000-00000000dead');
    expect(await screen.findByRole('header', { name: 'Conversation not found' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry loading' })).toBeNull();
    fireEvent.press(screen.getByRole('button', { name: 'Back to messages' }));
    await waitFor(() => expect(app.getPathname()).toBe('/messages'));
    expect(await screen.findByRole('button', { name: /^Puppy 1 with Rose City Rescue/ })).toBeTruthy();
  });
});
