import { router } from 'expo-router';
import { fireEvent, renderRouter, screen, waitFor } from 'expo-router/testing-library';

import { detail, page, puppy } from './helpers/fixtures';
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
