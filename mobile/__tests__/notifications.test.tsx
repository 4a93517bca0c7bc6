import { act, fireEvent, screen, waitFor, within } from '@testing-library/react-native';
import * as Notifications from 'expo-notifications';
import { renderRouter } from 'expo-router/testing-library';
import { Platform } from 'react-native';

import { setToken } from '@/api/session';
import { AccountScreen } from '@/features/account/AccountScreen';
import { BrowseScreen } from '@/features/browse/BrowseScreen';
import { EMPTY_FILTERS, type Filters } from '@/features/browse/filters';
import { FORGET_TIMEOUT_MS } from '@/features/notifications/registration';

import { BREEDS, config, ME, page, puppy, savedSearch } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi } from './helpers/network';
import { newMatchesTap, notifications, onPhone, PUSH_TOKEN, resetNotifications } from './helpers/notifications';
import { renderApp, resetApp } from './helpers/render';

afterEach(() => {
  resetApp();
  resetNotifications();
});

const TOKENS = '/v1/me/push-tokens';
const THIS_DEVICE = `${TOKENS}/${encodeURIComponent(PUSH_TOKEN)}`;
const SEARCHES = '/v1/me/saved-searches';
const FILTERS: Filters = { ...EMPTY_FILTERS, sizes: ['small'], breeds: ['beagle'] };
const OFFER = 'Get a notification when a new puppy matches?';

type Alerts = 'push' | 'email' | 'off';
const me = (new_match_alerts: Alerts = 'push') => ({ ...ME, new_match_alerts });
const pushToken = (token = PUSH_TOKEN, platform: 'ios' | 'android' = 'ios') => ({ token, platform, created_at: '2025-06-01T00:00:00Z' });
const bodiesOf = (fake: FakeApi, method: string, path: string) => fake.calls.filter((c) => c.method === method && c.path === path).map((c) => JSON.parse(c.body!));

/** The API of a signed-in adopter with the push flag on (or off), and the device's registered tokens. */
function api({ flag = true, alerts = 'push' as Alerts, tokens = [] as ReturnType<typeof pushToken>[] } = {}): FakeApi {
  const fake = installFakeApi();
  let account = me(alerts);
  let registered = tokens;
  fake.on('GET', '/v1/config', { body: config({ push_notifications: flag }) });
  fake.on('GET', '/v1/me', () => ({ body: account }));
  fake.on('PATCH', '/v1/me', (request) =>
    request.json().then((body: { new_match_alerts: Alerts }) => {
      account = { ...account, ...body };
      return { body: account };
    }),
  );
  fake.on('GET', '/v1/me/favorites', { body: page([]) });
  fake.on('GET', '/v1/me/inquiries', { body: { items: [], next_cursor: null } });
  fake.on('GET', '/v1/me/unread', { body: { threads: 0, messages: 0 } });
  fake.on('GET', '/v1/puppies', { body: page([puppy(1), puppy(2)]) });
  fake.on('GET', '/v1/breeds', { body: BREEDS });
  fake.on('GET', SEARCHES, { body: { items: [] } });
  fake.on('POST', SEARCHES, (request) => request.json().then((body: { name: string }) => ({ status: 201, body: savedSearch(1, { name: body.name }) })));
  fake.on('GET', TOKENS, () => ({ body: { items: registered } }));
  fake.on('POST', TOKENS, (request) =>
    request.json().then((body: { token: string; platform: 'ios' | 'android' }) => {
      registered = [...registered.filter((t) => t.token !== body.token), pushToken(body.token, body.platform)];
      return { status: 201, body: pushToken(body.token, body.platform) };
    }),
  );
  fake.on('DELETE', new RegExp(`^${TOKENS}/`), () => ({ status: 204 }));
  fake.on('POST', '/v1/auth/logout', { status: 204 });
  return fake;
}

async function saveSearch(name = 'Small beagles') {
  fireEvent.press(await screen.findByRole('button', { name: 'Save search' }));
  fireEvent.changeText(screen.getByLabelText('Name of this search'), name);
  fireEvent.press(screen.getByTestId('save-search-submit'));
  await screen.findByText(`Saved as “${name}”.`);
}

describe('Notifications: the offer after saving a search', () => {
  it('is never made at launch, and comes right after the first save', async () => {
    onPhone();
    const fake = api();
    await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await screen.findByText('Puppy 1');
    await waitFor(() => expect(fake.count('GET', '/v1/config')).toBeGreaterThan(0));
    expect(screen.queryByText(OFFER)).toBeNull();
    expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
    expect(fake.count('POST', TOKENS)).toBe(0);

    await saveSearch();
    expect(await screen.findByText(OFFER)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Allow notifications about new matches' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Not now' })).toBeTruthy();
    // Only the person's Allow shows the system's dialog.
    expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
  });

  it('remembers Not now on the device, and does not ask again after the next save', async () => {
    onPhone();
    const fake = api();
    const first = await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await saveSearch();
    fireEvent.press(await screen.findByRole('button', { name: 'Not now' }));
    expect(await screen.findByText('No notifications. You can turn them on later under New matches on Account.')).toBeTruthy();
    first.unmount();

    // Another start of the app, another search saved.
    resetApp();
    await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await saveSearch('Beagles again');
    await waitFor(() => expect(fake.count('GET', TOKENS) + fake.count('GET', '/v1/config')).toBeGreaterThan(0));
    await act(async () => {});
    expect(screen.queryByText(OFFER)).toBeNull();
    expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
    expect(fake.count('POST', TOKENS)).toBe(0);
  });

  it('on Allow, asks the system and registers this device’s token with the API', async () => {
    onPhone();
    const fake = api();
    await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await saveSearch();
    fireEvent.press(await screen.findByRole('button', { name: 'Allow notifications about new matches' }));
    expect(await screen.findByText('Done: you will get a notification when a new puppy matches.')).toBeTruthy();
    expect(Notifications.requestPermissionsAsync).toHaveBeenCalledTimes(1);
    expect(Notifications.getExpoPushTokenAsync).toHaveBeenCalledWith({ projectId: expect.any(String) });
    expect(bodiesOf(fake, 'POST', TOKENS)).toEqual([{ token: PUSH_TOKEN, platform: 'ios' }]);
  });

  it('on Android, makes the channel first and registers the token as an Android one', async () => {
    const os = jest.replaceProperty(Platform, 'OS', 'android');
    try {
      onPhone();
      const fake = api();
      await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
      await saveSearch();
      fireEvent.press(await screen.findByRole('button', { name: 'Allow notifications about new matches' }));
      await screen.findByText('Done: you will get a notification when a new puppy matches.');
      expect(Notifications.setNotificationChannelAsync).toHaveBeenCalled();
      expect(bodiesOf(fake, 'POST', TOKENS)).toEqual([{ token: PUSH_TOKEN, platform: 'android' }]);
    } finally {
      os.restore();
    }
  });

  it('when the system says no, says where to turn notifications on, and does not ask again', async () => {
    onPhone();
    notifications.state.answer = 'denied';
    const fake = api();
    const first = await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await saveSearch();
    fireEvent.press(await screen.findByRole('button', { name: 'Allow notifications about new matches' }));
    expect(await screen.findByText(/^Notifications are turned off for Kennel on this device\. To get them, open Settings/)).toBeTruthy();
    expect(fake.count('POST', TOKENS)).toBe(0);
    first.unmount();

    resetApp();
    await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
    await saveSearch('Beagles again');
    await act(async () => {});
    expect(screen.queryByText(OFFER)).toBeNull();
  });

  it('is not made without the push flag, on a simulator, in a build without a project, or when the account chose email', async () => {
    const cases: { setup: () => void; flag?: boolean; alerts?: Alerts }[] = [
      { setup: () => onPhone(), flag: false },
      { setup: () => {} },
      { setup: () => onPhone({ projectId: null }) },
      { setup: () => onPhone(), alerts: 'email' },
    ];
    for (const { setup, flag = true, alerts = 'push' } of cases) {
      setup();
      const fake = api({ flag, alerts });
      const view = await renderApp(<BrowseScreen initialFilters={FILTERS} />, { token: 't' });
      await saveSearch();
      await waitFor(() => expect(fake.count('GET', '/v1/config')).toBeGreaterThan(0));
      await act(async () => {});
      expect(screen.queryByText(OFFER)).toBeNull();
      expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
      expect(fake.count('POST', TOKENS)).toBe(0);
      view.unmount();
      resetApp();
      resetNotifications();
    }
  });
});

describe('Notifications: registering this device', () => {
  it('registers the token again at every start while signed in with notifications allowed', async () => {
    onPhone();
    notifications.state.status = 'granted';
    const fake = api();
    await renderApp(<BrowseScreen />, { token: 't' });
    await waitFor(() => expect(bodiesOf(fake, 'POST', TOKENS)).toEqual([{ token: PUSH_TOKEN, platform: 'ios' }]));
    // Never asked: the system had said yes already.
    expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
  });

  it('registers nothing signed out, without the flag, or without permission', async () => {
    onPhone();
    notifications.state.status = 'granted';
    let fake = api();
    let view = await renderApp(<BrowseScreen />);
    await screen.findByText('Puppy 1');
    await act(async () => {});
    expect(fake.count('POST', TOKENS)).toBe(0);
    view.unmount();
    resetApp();

    fake = api({ flag: false });
    view = await renderApp(<BrowseScreen />, { token: 't' });
    await waitFor(() => expect(fake.count('GET', '/v1/config')).toBeGreaterThan(0));
    await act(async () => {});
    expect(fake.count('POST', TOKENS)).toBe(0);
    view.unmount();
    resetApp();

    notifications.state.status = 'undetermined';
    fake = api();
    await renderApp(<BrowseScreen />, { token: 't' });
    await waitFor(() => expect(fake.count('GET', '/v1/config')).toBeGreaterThan(0));
    await act(async () => {});
    expect(fake.count('POST', TOKENS)).toBe(0);
    expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
  });

  it('signing out deletes this device’s token from the API first', async () => {
    onPhone();
    notifications.state.status = 'granted';
    const fake = api();
    await renderApp(<AccountScreen />, { token: 't' });
    await waitFor(() => expect(fake.count('POST', TOKENS)).toBe(1));
    fireEvent.press(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    const order = fake.calls.map((c) => `${c.method} ${c.path}`);
    expect(order).toContain(`DELETE ${THIS_DEVICE}`);
    expect(order.indexOf(`DELETE ${THIS_DEVICE}`)).toBeLessThan(order.indexOf('POST /v1/auth/logout'));
    // The token is URL-encoded in the path.
    expect(fake.calls.find((c) => c.method === 'DELETE')!.url.pathname).toBe('/v1/me/push-tokens/ExponentPushToken%5Btest-device-token%5D');
  });

  it('signs out all the same when deleting the token does not answer', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      onPhone();
      notifications.state.status = 'granted';
      const fake = api();
      fake.on('DELETE', new RegExp(`^${TOKENS}/`), () => new Promise(() => {}));
      await renderApp(<AccountScreen />, { token: 't' });
      await waitFor(() => expect(fake.count('POST', TOKENS)).toBe(1));
      fireEvent.press(await screen.findByRole('button', { name: 'Sign out' }));
      await waitFor(() => expect(fake.count('DELETE', THIS_DEVICE)).toBe(1));
      await act(async () => {
        jest.advanceTimersByTime(FORGET_TIMEOUT_MS);
      });
      expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
      expect(fake.count('POST', '/v1/auth/logout')).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('signs out at once when the API refuses to delete the token', async () => {
    onPhone();
    notifications.state.status = 'granted';
    const fake = api();
    fake.on('DELETE', new RegExp(`^${TOKENS}/`), { status: 500, body: problem(500, 'internal', 'Internal') });
    await renderApp(<AccountScreen />, { token: 't' });
    await waitFor(() => expect(fake.count('POST', TOKENS)).toBe(1));
    fireEvent.press(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    expect(fake.count('POST', '/v1/auth/logout')).toBe(1);
  });
});

describe('Notifications: the New matches setting on Account', () => {
  const radio = (name: string) => screen.getByRole('radio', { name });
  const checked = (name: string) => radio(name).props.accessibilityState?.checked ?? radio(name).props['aria-checked'];

  it('saves Email and Off with PATCH /v1/me, and shows how many devices get notifications', async () => {
    onPhone();
    const fake = api({ tokens: [pushToken('ExponentPushToken[other-phone]', 'android')] });
    await renderApp(<AccountScreen />, { token: 't' });
    const group = await screen.findByTestId('new-match-alerts');
    expect(within(group).getAllByRole('radio').map((r) => r.props.accessibilityLabel)).toEqual(['Push notifications', 'Email', 'Off']);
    expect(checked('Push notifications')).toBe(true);
    expect(await screen.findByText('Devices receiving notifications: 1')).toBeTruthy();

    fireEvent.press(radio('Email'));
    await waitFor(() => expect(checked('Email')).toBe(true));
    expect(bodiesOf(fake, 'PATCH', '/v1/me')).toEqual([{ new_match_alerts: 'email' }]);
    fireEvent.press(radio('Off'));
    await waitFor(() => expect(bodiesOf(fake, 'PATCH', '/v1/me')).toEqual([{ new_match_alerts: 'email' }, { new_match_alerts: 'off' }]));
    await waitFor(() => expect(checked('Off')).toBe(true));
    // Choosing email or off never asks for notifications.
    expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
  });

  it('choosing Push asks for permission, registers this device, then saves the choice', async () => {
    onPhone();
    const fake = api({ alerts: 'email' });
    await renderApp(<AccountScreen />, { token: 't' });
    await screen.findByTestId('new-match-alerts');
    expect(checked('Email')).toBe(true);
    fireEvent.press(radio('Push notifications'));
    await waitFor(() => expect(checked('Push notifications')).toBe(true));
    expect(Notifications.requestPermissionsAsync).toHaveBeenCalledTimes(1);
    expect(bodiesOf(fake, 'POST', TOKENS)).toEqual([{ token: PUSH_TOKEN, platform: 'ios' }]);
    expect(bodiesOf(fake, 'PATCH', '/v1/me')).toEqual([{ new_match_alerts: 'push' }]);
    expect(await screen.findByText('Devices receiving notifications: 1')).toBeTruthy();
  });

  it('when permission is refused, explains the system settings and keeps the previous choice', async () => {
    onPhone();
    notifications.state.answer = 'denied';
    const fake = api({ alerts: 'email' });
    await renderApp(<AccountScreen />, { token: 't' });
    await screen.findByTestId('new-match-alerts');
    fireEvent.press(radio('Push notifications'));
    expect(await screen.findByText(/^Notifications are turned off for Kennel on this device\. To get them, open Settings, then Kennel, then Notifications/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open settings' })).toBeTruthy();
    expect(checked('Email')).toBe(true);
    expect(checked('Push notifications')).toBe(false);
    expect(fake.count('PATCH', '/v1/me')).toBe(0);
    expect(fake.count('POST', TOKENS)).toBe(0);
  });

  it('with push chosen but not allowed on this phone, says so, and choosing Push again asks and registers', async () => {
    onPhone();
    const fake = api({ tokens: [] });
    await renderApp(<AccountScreen />, { token: 't' });
    expect(await screen.findByText('This device does not show notifications yet. Choose Push notifications to allow them.')).toBeTruthy();
    expect(await screen.findByText('No device of yours receives push notifications, so alerts about new matches come by email.')).toBeTruthy();
    fireEvent.press(radio('Push notifications'));
    await waitFor(() => expect(bodiesOf(fake, 'POST', TOKENS)).toEqual([{ token: PUSH_TOKEN, platform: 'ios' }]));
    expect(await screen.findByText('Devices receiving notifications: 1')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/does not show notifications yet/)).toBeNull());
    // The account had push already: nothing to save.
    expect(fake.count('PATCH', '/v1/me')).toBe(0);
  });

  it('when the API has push switched off (503), says so and keeps the previous choice', async () => {
    onPhone();
    const fake = api({ alerts: 'off' });
    fake.on('POST', TOKENS, { status: 503, body: problem(503, 'feature_unavailable', 'Unavailable') });
    await renderApp(<AccountScreen />, { token: 't' });
    await screen.findByTestId('new-match-alerts');
    fireEvent.press(radio('Push notifications'));
    expect(await screen.findByText('Push notifications could not be turned on. Feature temporarily unavailable.')).toBeTruthy();
    expect(checked('Off')).toBe(true);
    expect(fake.count('PATCH', '/v1/me')).toBe(0);
  });

  it('says when the choice could not be saved, and keeps the previous one', async () => {
    onPhone();
    const fake = api();
    fake.on('PATCH', '/v1/me', { status: 400, body: problem(400, 'validation_failed', 'Invalid', { errors: [{ field: 'new_match_alerts', message: 'unknown value' }] }) });
    await renderApp(<AccountScreen />, { token: 't' });
    await screen.findByTestId('new-match-alerts');
    fireEvent.press(radio('Email'));
    expect(await screen.findByText(/^Not saved\./)).toBeTruthy();
    expect(checked('Push notifications')).toBe(true);
  });

  it('without the push flag, offers only Email and Off, and never asks or registers', async () => {
    onPhone();
    notifications.state.status = 'granted';
    const fake = api({ flag: false, alerts: 'email' });
    await renderApp(<AccountScreen />, { token: 't' });
    const group = await screen.findByTestId('new-match-alerts');
    await waitFor(() => expect(fake.count('GET', '/v1/config')).toBeGreaterThan(0));
    await act(async () => {});
    expect(within(group).getAllByRole('radio').map((r) => r.props.accessibilityLabel)).toEqual(['Email', 'Off']);
    expect(screen.queryByTestId('push-device-count')).toBeNull();
    expect(fake.count('POST', TOKENS)).toBe(0);
    expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
  });

  it('on the web, offers Email and Off, and says where alerts go while the account chose push', async () => {
    const os = jest.replaceProperty(Platform, 'OS', 'web');
    try {
      let fake = api({ tokens: [] });
      fake.on('POST', '/v1/auth/logout', { status: 204 });
      let view = await renderApp(<AccountScreen />, { token: 'cookie-session' });
      const group = await screen.findByTestId('new-match-alerts');
      expect(within(group).getAllByRole('radio').map((r) => r.props.accessibilityLabel)).toEqual(['Email', 'Off']);
      expect(checked('Email')).toBe(false);
      expect(checked('Off')).toBe(false);
      expect(await screen.findByText('No device of yours receives push notifications, so alerts about new matches come by email.')).toBeTruthy();
      expect(screen.getByText('Push notifications come to the Kennel app on a phone or tablet.')).toBeTruthy();
      view.unmount();
      resetApp();

      fake = api({ tokens: [pushToken()] });
      view = await renderApp(<AccountScreen />, { token: 'cookie-session' });
      expect(await screen.findByText('Alerts about new matches go as push notifications to 1 device with Kennel.')).toBeTruthy();
      fireEvent.press(radio('Email'));
      await waitFor(() => expect(checked('Email')).toBe(true));
      expect(bodiesOf(fake, 'PATCH', '/v1/me')).toEqual([{ new_match_alerts: 'email' }]);
      expect(Notifications.requestPermissionsAsync).not.toHaveBeenCalled();
      expect(Notifications.getPermissionsAsync).not.toHaveBeenCalled();
    } finally {
      os.restore();
    }
  });
});

describe('Notifications: a tap on one', () => {
  const SEARCH = savedSearch(1, { last_opened_at: '2025-06-01T00:00:00Z' });
  const OPEN = `${SEARCHES}/${SEARCH.id}/open`;

  function tapApi() {
    const fake = api();
    fake.on('GET', SEARCHES, { body: { items: [SEARCH] } });
    fake.on('POST', OPEN, { body: { search: { ...SEARCH, last_opened_at: '2025-06-20T08:00:00Z' }, new_since: '2025-06-01T00:00:00Z' } });
    fake.on('GET', '/v1/puppies', (_req, url) =>
      url.searchParams.get('size') === 'small'
        ? { body: page([puppy(1, { listed_at: '2025-06-10T00:00:00Z' }), puppy(2, { listed_at: '2025-05-20T00:00:00Z' })]) }
        : { body: page([puppy(3)]) },
    );
    return fake;
  }

  it('opens its saved search on Browse, as Open does, with the new puppies marked', async () => {
    const fake = tapApi();
    setToken('t');
    const app = renderRouter('./app', { initialUrl: '/account' });
    await screen.findByTestId('new-match-alerts');
    act(() => notifications.tap(newMatchesTap(SEARCH.id)));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(fake.count('POST', OPEN)).toBe(1);
    expect(await screen.findByRole('header', { name: 'Search 1' })).toBeTruthy();
    expect(await screen.findAllByTestId('new-badge')).toHaveLength(1);
    expect(screen.getByLabelText('Filters, 3 active')).toBeTruthy();

    // Other notifications, and the same tap again, change nothing.
    act(() => notifications.tap({ ...newMatchesTap(SEARCH.id, 'notification-2'), notification: { request: { identifier: 'n', content: { title: 'x', body: 'y', data: { type: 'other' } } } } }));
    act(() => notifications.tap(newMatchesTap(SEARCH.id)));
    await act(async () => {});
    expect(fake.count('POST', OPEN)).toBe(1);
  });

  it('opens the saved search of the notification that launched the app', async () => {
    const fake = tapApi();
    notifications.state.launchedBy = newMatchesTap(SEARCH.id);
    setToken('t');
    const app = renderRouter('./app', { initialUrl: '/' });
    expect(await screen.findByRole('header', { name: 'Search 1' })).toBeTruthy();
    expect(app.getPathname()).toBe('/');
    expect(fake.count('POST', OPEN)).toBe(1);
    expect(Notifications.clearLastNotificationResponseAsync).toHaveBeenCalled();
  });

  it('a search deleted since leads to the saved searches', async () => {
    const fake = tapApi();
    fake.on('POST', OPEN, { status: 404, body: problem(404, 'not_found', 'Not found') });
    setToken('t');
    const app = renderRouter('./app', { initialUrl: '/' });
    await screen.findByText('Puppy 3');
    act(() => notifications.tap(newMatchesTap(SEARCH.id)));
    await waitFor(() => expect(app.getPathname()).toBe('/saved-searches'));
  });
});
