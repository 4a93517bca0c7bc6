import { fireEvent, screen, waitFor, within } from '@testing-library/react-native';
import { renderRouter } from 'expo-router/testing-library';

import { setToken } from '@/api/session';
import { AccountScreen } from '@/features/account/AccountScreen';
import { BrowseScreen } from '@/features/browse/BrowseScreen';
import { EMPTY_FILTERS, fromQuery, savedQuery, toQuery, type Filters } from '@/features/browse/filters';
import { defaultName, describeFilters } from '@/features/searches/describe';
import { SavedSearchesScreen } from '@/features/searches/SavedSearchesScreen';

import { BREEDS, config, ME, page, puppy, savedSearch } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

const PORTLAND = { label: 'Portland, OR', latitude: 45.5152, longitude: -122.6784 };
/** Small beagles within 50 miles (the default radius in the US) of Portland. */
const FILTERS: Filters = { ...EMPTY_FILTERS, sizes: ['small'], breeds: ['beagle'], near: PORTLAND };
const QUERY = 'breed=beagle&size=small&near=45.5152%2C-122.6784&radius_km=80.467&sort=distance';
const LIST = '/v1/me/saved-searches';
const one = (n: number) => `${LIST}/${savedSearch(n).id}`;

const bodyOf = (fake: FakeApi, method: string, path: string) => JSON.parse(fake.calls.filter((c) => c.method === method && c.path === path).at(-1)!.body!);

function browseApi(): FakeApi {
  const fake = installFakeApi();
  fake.on('GET', '/v1/me', { body: ME });
  fake.on('GET', '/v1/puppies', { body: page([puppy(1), puppy(2)]) });
  fake.on('GET', '/v1/breeds', { body: BREEDS });
  fake.on('GET', LIST, { body: { items: [] } });
  return fake;
}

describe('Saved searches: the browse query', () => {
  it('keeps the query Browse sends, without limit and cursor, and reads it back to the same filters', () => {
    expect(savedQuery(FILTERS)).toBe(QUERY);
    expect(savedQuery({ ...EMPTY_FILTERS, q: ' calm dog ', sexes: ['female'], goodWith: ['kids', 'cats'], sort: '-fee' })).toBe(
      'q=calm%20dog&sex=female&good_with=kids&good_with=cats&sort=-fee',
    );
    const back = fromQuery(QUERY);
    expect(back.near).toEqual(PORTLAND);
    expect(toQuery(back)).toEqual(toQuery(FILTERS));
    // As the API writes it back: spaces as "+", lists repeated or with commas, a place none of the cities.
    const api = fromQuery('q=calm+dog&size=small,large&coat=wire&status=pending&near=40.1%2C-75.2&radius_km=25&unknown=1');
    expect(api).toMatchObject({ q: 'calm dog', sizes: ['small', 'large'], coats: ['wire'], statuses: ['pending'], radiusKm: 25 });
    expect(api.near).toEqual({ label: 'a saved location', latitude: 40.1, longitude: -75.2 });
    // Newest first with a place (no sort in the query) stays newest first.
    const newest = fromQuery('near=45.5152%2C-122.6784&radius_km=80.467');
    expect(toQuery(newest).sort).toBeUndefined();
    expect(savedQuery(newest)).toBe('near=45.5152%2C-122.6784&radius_km=80.467');
  });

  it('names and describes the filters in words', () => {
    const names = new Map([['beagle', 'Beagle']]);
    expect(defaultName(FILTERS, names)).toBe('Small · Beagle · within 50 mi of Portland, OR');
    expect(defaultName({ ...EMPTY_FILTERS, q: 'calm', breeds: ['bernese-mountain-dog'] }, new Map())).toBe('“calm” · Bernese mountain dog');
    const long = defaultName({ ...EMPTY_FILTERS, q: 'x'.repeat(100) }, names);
    expect([...long]).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
    expect(describeFilters(fromQuery('coat=curly&good_with=kids&sort=-fee'), names)).toBe('Curly coat · Good with kids · Highest fee first');
    expect(describeFilters(fromQuery(''), names)).toBe('All puppies');
  });
});

describe('Saved searches: saving on Browse', () => {
  it('saves the filters under a name made from them', async () => {
    const fake = browseApi();
    fake.on('POST', LIST, { status: 201, body: savedSearch(1, { name: 'Small · Beagle · within 50 mi of Portland, OR' }) });
    await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await screen.findByText('Puppy 1');
    fireEvent.press(screen.getByRole('button', { name: 'Save search' }));
    const name = screen.getByLabelText('Name of this search');
    await waitFor(() => expect(name.props.value).toBe('Small · Beagle · within 50 mi of Portland, OR'));
    fireEvent.press(screen.getByTestId('save-search-submit'));
    expect(await screen.findByText('Saved as “Small · Beagle · within 50 mi of Portland, OR”.')).toBeTruthy();
    expect(bodyOf(fake, 'POST', LIST)).toEqual({ name: 'Small · Beagle · within 50 mi of Portland, OR', query: QUERY });
    expect(screen.getByRole('link', { name: 'Saved searches' })).toBeTruthy();
  });

  it('saves what the filter panel chose, under the name the person gives', async () => {
    const fake = browseApi();
    fake.on('POST', LIST, { status: 201, body: savedSearch(1, { name: 'Curly' }) });
    await renderApp(<BrowseScreen />, { token: 't' });
    await screen.findByText('Puppy 1');
    // Nothing to save without filters; the way to the saved searches is there.
    expect(screen.queryByRole('button', { name: 'Save search' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Saved searches' })).toBeTruthy();
    fireEvent.press(screen.getByTestId('filters-button'));
    fireEvent.press(screen.getByLabelText('Coat curly'));
    fireEvent.press(screen.getByRole('radio', { name: 'Sort lowest fee first' }));
    fireEvent.press(screen.getByLabelText('Apply filters'));
    fireEvent.press(await screen.findByRole('button', { name: 'Save search' }));
    fireEvent.changeText(screen.getByLabelText('Name of this search'), '  Curly  ');
    fireEvent.press(screen.getByTestId('save-search-submit'));
    await screen.findByText('Saved as “Curly”.');
    expect(bodyOf(fake, 'POST', LIST)).toEqual({ name: 'Curly', query: 'coat=curly&sort=fee' });
  });

  it('checks the name before sending, shows the API’s messages next to the field, and sends once', async () => {
    const fake = browseApi();
    await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await screen.findByText('Puppy 1');
    fireEvent.press(screen.getByRole('button', { name: 'Save search' }));
    const field = () => screen.getByLabelText('Name of this search');
    fireEvent.changeText(field(), '   ');
    fireEvent.press(screen.getByTestId('save-search-submit'));
    expect(screen.getByText('Give this search a name.')).toBeTruthy();
    fireEvent.changeText(field(), 'x'.repeat(81));
    fireEvent.press(screen.getByTestId('save-search-submit'));
    expect(screen.getByText('Use at most 80 characters (this name has 81).')).toBeTruthy();
    expect(fake.count('POST', LIST)).toBe(0);

    // The API's rules for a name, on the field.
    fake.on('POST', LIST, {
      status: 400,
      body: problem(400, 'validation_failed', 'Invalid', { errors: [{ field: 'name', message: 'must be on one line, without control characters' }] }),
    });
    fireEvent.changeText(field(), 'Beagles');
    fireEvent.press(screen.getByTestId('save-search-submit'));
    expect(await screen.findByText('must be on one line, without control characters')).toBeTruthy();
    expect(field().props['aria-invalid']).toBe(true);

    // A query the API refuses (a breed removed since), under the field.
    fake.on('POST', LIST, {
      status: 400,
      body: problem(400, 'validation_failed', 'Invalid', { errors: [{ field: 'query', message: 'breed: no breed has the slug `beagle`' }] }),
    });
    fireEvent.press(screen.getByTestId('save-search-submit'));
    expect(await screen.findByText('These filters cannot be saved: breed: no breed has the slug `beagle`')).toBeTruthy();

    // A name in use.
    fake.on('POST', LIST, { status: 409, body: problem(409, 'saved_search_name_taken', 'Conflict') });
    fireEvent.press(screen.getByTestId('save-search-submit'));
    expect(await screen.findByText('You already have a saved search with this name. Choose another.')).toBeTruthy();

    // Pressed again while it is on its way: one request.
    let release!: () => void;
    fake.on('POST', LIST, () => new Promise((r) => (release = () => r({ status: 201, body: savedSearch(1, { name: 'Beagles 2' }) }))));
    fireEvent.changeText(field(), 'Beagles 2');
    const before = fake.count('POST', LIST);
    fireEvent.press(screen.getByTestId('save-search-submit'));
    await waitFor(() => expect(fake.count('POST', LIST)).toBe(before + 1));
    fireEvent.press(screen.getByTestId('save-search-submit'));
    fireEvent(field(), 'submitEditing');
    release();
    expect(await screen.findByText('Saved as “Beagles 2”.')).toBeTruthy();
    expect(fake.count('POST', LIST)).toBe(before + 1);
  });

  it('says when the account has as many saved searches as it may keep', async () => {
    const fake = browseApi();
    fake.on('POST', LIST, { status: 409, body: problem(409, 'saved_search_limit', 'Conflict', { detail: 'An account keeps at most 20 saved searches; delete one to save another.' }) });
    await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await screen.findByText('Puppy 1');
    fireEvent.press(screen.getByRole('button', { name: 'Save search' }));
    fireEvent.press(screen.getByTestId('save-search-submit'));
    expect(await screen.findByText('You have 20 saved searches, the most an account can keep. Delete one to save another.')).toBeTruthy();
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Your saved searches' })).toBeTruthy();
    // The form stays, to try again after deleting one.
    expect(screen.getByTestId('save-search-form')).toBeTruthy();
  });

  it('asks a signed-out person to sign in, and sends nothing', async () => {
    const fake = browseApi();
    const signedOut = await renderApp(<BrowseScreen />);
    await screen.findByText('Puppy 1');
    expect(screen.queryByRole('button', { name: 'Sign in to save this search' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Saved searches' })).toBeNull();
    signedOut.unmount();

    await renderApp(<BrowseScreen initialFilters={FILTERS} />);
    await screen.findByText('Puppy 1');
    expect(screen.getByRole('button', { name: 'Sign in to save this search' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save search' })).toBeNull();
    expect(fake.calls.some((c) => c.path.startsWith(LIST))).toBe(false);
  });
});

describe('Saved searches: the screen', () => {
  function screenApi(items = [savedSearch(2, { name: 'Curly and fee', query: 'coat=curly&sort=fee', paused: true, last_opened_at: '2025-06-03T10:00:00Z' }), savedSearch(1)]) {
    const fake = browseApi();
    let list = items;
    fake.on('GET', LIST, () => ({ body: { items: list } }));
    const set = (next: typeof items) => (list = next);
    return { fake, set };
  }

  it('asks to sign in when signed out', async () => {
    installFakeApi();
    await renderApp(<SavedSearchesScreen />);
    expect(screen.getByText('Come back to your searches')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('explains how to save a search when there is none', async () => {
    browseApi();
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'No saved searches yet' })).toBeTruthy();
    expect(screen.getByText(/then tap “Save search”/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Browse puppies' })).toBeTruthy();
  });

  it('shows an error with retry', async () => {
    const fake = browseApi();
    fake.on('GET', LIST, { status: 403, body: problem(403, 'forbidden', 'Forbidden') });
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    expect(await screen.findByText('Couldn’t load your saved searches')).toBeTruthy();
    fake.on('GET', LIST, { body: { items: [savedSearch(1)] } });
    fireEvent.press(screen.getByLabelText('Retry loading'));
    expect(await screen.findByRole('header', { name: 'Search 1' })).toBeTruthy();
  });

  it('lists each search with its filters in words, when it was opened, and whether it is paused', async () => {
    screenApi();
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    const rows = await screen.findAllByTestId('saved-search');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole('header', { name: 'Curly and fee' })).toBeTruthy();
    expect(within(rows[0]!).getByText('Paused')).toBeTruthy();
    expect(within(rows[0]!).getByText('Curly coat · Lowest fee first')).toBeTruthy();
    expect(within(rows[0]!).getByText('Last opened Jun 3, 2025')).toBeTruthy();
    expect(within(rows[1]!).queryByText('Paused')).toBeNull();
    expect(await within(rows[1]!).findByText('Small · Beagle · within 50 mi of Portland, OR')).toBeTruthy();
    expect(within(rows[1]!).getByText('Saved May 1, 2025, not opened yet')).toBeTruthy();
    for (const action of ['Open', 'Rename', 'Pause', 'Delete']) expect(screen.getByRole('button', { name: `${action} Search 1` })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Resume Curly and fee' })).toBeTruthy();
  });

  it('renames a search, with the API’s word on a name in use', async () => {
    const { fake } = screenApi();
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    fireEvent.press(await screen.findByRole('button', { name: 'Rename Search 1' }));
    const field = screen.getByLabelText('New name');
    expect(field.props.value).toBe('Search 1');
    fireEvent.changeText(field, '');
    fireEvent.press(screen.getByRole('button', { name: 'Save the new name of Search 1' }));
    expect(screen.getByText('Give this search a name.')).toBeTruthy();
    expect(fake.count('PATCH', one(1))).toBe(0);

    fake.on('PATCH', one(1), { status: 409, body: problem(409, 'saved_search_name_taken', 'Conflict') });
    fireEvent.changeText(screen.getByLabelText('New name'), 'Curly and fee');
    fireEvent.press(screen.getByRole('button', { name: 'Save the new name of Search 1' }));
    expect(await screen.findByText('You already have a saved search with this name. Choose another.')).toBeTruthy();

    fake.on('PATCH', one(1), { body: savedSearch(1, { name: 'Portland beagles' }) });
    fireEvent.changeText(screen.getByLabelText('New name'), ' Portland beagles ');
    fireEvent.press(screen.getByRole('button', { name: 'Save the new name of Search 1' }));
    expect(await screen.findByRole('header', { name: 'Portland beagles' })).toBeTruthy();
    expect(bodyOf(fake, 'PATCH', one(1))).toEqual({ name: 'Portland beagles' });
    expect(screen.queryByLabelText('New name')).toBeNull();
  });

  it('pauses and resumes a search', async () => {
    const { fake } = screenApi();
    fake.on('PATCH', one(1), { body: savedSearch(1, { paused: true }) });
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    fireEvent.press(await screen.findByRole('button', { name: 'Pause Search 1' }));
    const row = () => screen.getAllByTestId('saved-search')[1]!;
    expect(await within(row()).findByText('Paused')).toBeTruthy();
    expect(bodyOf(fake, 'PATCH', one(1))).toEqual({ paused: true });
    fake.on('PATCH', one(1), { body: savedSearch(1, { paused: false }) });
    fireEvent.press(screen.getByRole('button', { name: 'Resume Search 1' }));
    await waitFor(() => expect(within(row()).queryByText('Paused')).toBeNull());
    expect(bodyOf(fake, 'PATCH', one(1))).toEqual({ paused: false });
    expect(screen.getByRole('button', { name: 'Pause Search 1' })).toBeTruthy();
  });

  it('says so when a search was deleted elsewhere', async () => {
    const { fake, set } = screenApi();
    fake.on('PATCH', one(1), { status: 404, body: problem(404, 'not_found', 'Not found') });
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    const pause = await screen.findByRole('button', { name: 'Pause Search 1' });
    set([savedSearch(2)]);
    fireEvent.press(pause);
    expect(await screen.findByText('“Search 1” was deleted, perhaps on another device.')).toBeTruthy();
    // The list is asked again: it is gone.
    await waitFor(() => expect(screen.queryByRole('header', { name: 'Search 1' })).toBeNull());
    expect(screen.getByRole('header', { name: 'Search 2' })).toBeTruthy();
  });

  it('deletes a search after confirmation', async () => {
    const { fake, set } = screenApi([savedSearch(1)]);
    fake.on('DELETE', one(1), () => {
      set([]);
      return { status: 204 };
    });
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    fireEvent.press(await screen.findByRole('button', { name: 'Delete Search 1' }));
    expect(screen.getByText('Delete “Search 1”? This cannot be undone.')).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Keep Search 1' }));
    expect(screen.queryByText('Delete “Search 1”? This cannot be undone.')).toBeNull();
    expect(fake.count('DELETE', one(1))).toBe(0);

    fireEvent.press(screen.getByRole('button', { name: 'Delete Search 1' }));
    fireEvent.press(screen.getByRole('button', { name: 'Yes, delete Search 1' }));
    expect(await screen.findByRole('header', { name: 'No saved searches yet' })).toBeTruthy();
    expect(fake.count('DELETE', one(1))).toBe(1);
  });
});

describe('Saved searches: opening one', () => {
  const NEW_SINCE = '2025-06-01T00:00:00Z';

  function openApi() {
    const fake = browseApi();
    fake.on('GET', '/v1/config', { body: config() });
    fake.on('GET', '/v1/me/unread', { body: { threads: 0, messages: 0 } });
    fake.on('GET', LIST, { body: { items: [savedSearch(1, { last_opened_at: NEW_SINCE })] } });
    fake.on('POST', `${one(1)}/open`, { body: { search: savedSearch(1, { last_opened_at: '2025-06-20T08:00:00Z' }), new_since: NEW_SINCE } });
    fake.on('GET', '/v1/puppies', (_req, url) =>
      url.searchParams.get('size') === 'small'
        ? { body: page([puppy(1, { listed_at: '2025-06-10T00:00:00Z', distance_km: 4 }), puppy(2, { listed_at: '2025-05-20T00:00:00Z', distance_km: 9 })]) }
        : { body: page([puppy(3)]) },
    );
    setToken('t');
    return fake;
  }

  it('records the visit, shows Browse with the search’s filters, and marks the puppies listed since the last visit', async () => {
    const fake = openApi();
    const app = renderRouter('./app', { initialUrl: '/saved-searches' });
    fireEvent.press(await screen.findByRole('button', { name: 'Open Search 1' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(fake.count('POST', `${one(1)}/open`)).toBe(1);

    const fresh = await screen.findByRole('button', { name: /^Puppy 1, new since your last visit, Beagle, / });
    expect(within(fresh).getByTestId('new-badge')).toBeTruthy();
    const older = screen.getByRole('button', { name: /^Puppy 2, Beagle, / });
    expect(within(older).queryByTestId('new-badge')).toBeNull();
    expect(screen.getAllByTestId('new-badge')).toHaveLength(1);
    expect(screen.getByRole('header', { name: 'Search 1' })).toBeTruthy();
    expect(screen.getByText('Puppies listed since your last visit (Jun 1, 2025, 12:00 AM) are marked New.')).toBeTruthy();

    // Exactly the saved filters.
    const sent = fake.calls.filter((c) => c.path === '/v1/puppies').at(-1)!.url.searchParams;
    expect(sent.getAll('size')).toEqual(['small']);
    expect(sent.getAll('breed')).toEqual(['beagle']);
    expect(sent.get('near')).toBe('45.5152,-122.6784');
    expect(sent.get('radius_km')).toBe('80.467');
    expect(sent.get('sort')).toBe('distance');
    expect(screen.getByLabelText('Filters, 3 active')).toBeTruthy();
    // It is saved already: nothing to save again.
    expect(screen.queryByRole('button', { name: 'Save search' })).toBeNull();

    // Other filters are another search: the marks go.
    fireEvent.changeText(screen.getByLabelText('Search puppies'), 'calm');
    await waitFor(() => expect(screen.queryByTestId('new-badge')).toBeNull());
    expect(screen.queryByRole('header', { name: 'Search 1' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Save search' })).toBeTruthy();

    // Opened again: its filters come back, and the list is asked for again (a puppy may have been listed since).
    const asked = () => fake.calls.filter((c) => c.path === '/v1/puppies' && c.url.searchParams.get('size') === 'small' && !c.url.searchParams.has('q')).length;
    const before = asked();
    fireEvent.press(screen.getByRole('link', { name: 'Saved searches' }));
    fireEvent.press(await screen.findByRole('button', { name: 'Open Search 1' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    await waitFor(() => expect(asked()).toBeGreaterThan(before));
    expect(await screen.findAllByTestId('new-badge')).toHaveLength(1);
    expect(screen.getByLabelText('Search puppies').props.value).toBe('');
    expect(fake.count('POST', `${one(1)}/open`)).toBe(2);
  });

  it('Browse follows a rename of the search it shows, and no longer names it once it is deleted', async () => {
    const fake = openApi();
    let items = [savedSearch(1, { last_opened_at: NEW_SINCE })];
    fake.on('GET', LIST, () => ({ body: { items } }));
    fake.on('PATCH', one(1), () => {
      items = [savedSearch(1, { name: 'Portland beagles' })];
      return { body: items[0] };
    });
    fake.on('DELETE', one(1), () => {
      items = [];
      return { status: 204 };
    });
    const app = renderRouter('./app', { initialUrl: '/saved-searches' });
    fireEvent.press(await screen.findByRole('button', { name: 'Open Search 1' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByRole('header', { name: 'Search 1' })).toBeTruthy();

    fireEvent.press(screen.getByRole('link', { name: 'Saved searches' }));
    fireEvent.press(await screen.findByRole('button', { name: 'Rename Search 1' }));
    fireEvent.changeText(screen.getByLabelText('New name'), 'Portland beagles');
    fireEvent.press(screen.getByRole('button', { name: 'Save the new name of Search 1' }));
    await screen.findByRole('button', { name: 'Delete Portland beagles' });
    fireEvent.press(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByRole('header', { name: 'Portland beagles' })).toBeTruthy();

    fireEvent.press(screen.getByRole('link', { name: 'Saved searches' }));
    fireEvent.press(await screen.findByRole('button', { name: 'Delete Portland beagles' }));
    fireEvent.press(screen.getByRole('button', { name: 'Yes, delete Portland beagles' }));
    expect(await screen.findByRole('header', { name: 'No saved searches yet' })).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    await screen.findByRole('button', { name: /^Puppy 1, Beagle, / });
    expect(screen.queryByRole('header', { name: 'Portland beagles' })).toBeNull();
    expect(screen.queryByTestId('new-badge')).toBeNull();
    // Its filters stay on Browse, to save again.
    expect(screen.getByLabelText('Filters, 3 active')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save search' })).toBeTruthy();
  });

  it('on the first visit, what is new is new since the search was saved', async () => {
    const fake = openApi();
    const created = savedSearch(1).created_at;
    fake.on('POST', `${one(1)}/open`, { body: { search: savedSearch(1, { last_opened_at: '2025-06-20T08:00:00Z' }), new_since: created } });
    const app = renderRouter('./app', { initialUrl: '/saved-searches' });
    fireEvent.press(await screen.findByRole('button', { name: 'Open Search 1' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByText('Puppies listed since you saved this search (May 1, 2025, 9:00 AM) are marked New.')).toBeTruthy();
    expect(await screen.findAllByTestId('new-badge')).toHaveLength(2);
  });

  it('Browse leads to the saved searches, and a search that is gone says so', async () => {
    const fake = openApi();
    fake.on('POST', `${one(1)}/open`, { status: 404, body: problem(404, 'not_found', 'Not found') });
    const app = renderRouter('./app', { initialUrl: '/' });
    fireEvent.press(await screen.findByRole('link', { name: 'Saved searches' }));
    await waitFor(() => expect(app.getPathname()).toBe('/saved-searches'));
    fireEvent.press(await screen.findByRole('button', { name: 'Open Search 1' }));
    expect(await screen.findByText('“Search 1” was deleted, perhaps on another device.')).toBeTruthy();
    expect(app.getPathname()).toBe('/saved-searches');
  });
});

describe('Saved searches: Account', () => {
  it('shows how many there are, as a link to them', async () => {
    const fake = browseApi();
    fake.on('GET', '/v1/me/favorites', { body: page([]) });
    fake.on('GET', '/v1/me/inquiries', { body: { items: [], next_cursor: null } });
    fake.on('GET', LIST, { body: { items: [savedSearch(1), savedSearch(2)] } });
    await renderApp(<AccountScreen />, { token: 't' });
    const link = await screen.findByRole('link', { name: 'Saved searches: 2' });
    expect(link.props.accessibilityHint).toBe('Opens your saved searches');
  });

  it('leads to them, and a search opened there shows on Browse', async () => {
    const fake = browseApi();
    fake.on('GET', '/v1/config', { body: config() });
    fake.on('GET', '/v1/me/favorites', { body: page([]) });
    fake.on('GET', '/v1/me/inquiries', { body: { items: [], next_cursor: null } });
    fake.on('GET', LIST, { body: { items: [savedSearch(1)] } });
    fake.on('POST', `${one(1)}/open`, { body: { search: savedSearch(1, { last_opened_at: '2025-06-20T08:00:00Z' }), new_since: '2025-06-01T00:00:00Z' } });
    setToken('t');
    const app = renderRouter('./app', { initialUrl: '/account' });
    fireEvent.press(await screen.findByRole('link', { name: 'Saved searches: 1' }));
    await waitFor(() => expect(app.getPathname()).toBe('/saved-searches'));
    // Opened from there, it shows on the Browse tab.
    fireEvent.press(await screen.findByRole('button', { name: 'Open Search 1' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByRole('header', { name: 'Search 1' })).toBeTruthy();
    expect(screen.getByLabelText('Filters, 3 active')).toBeTruthy();
  });
});
