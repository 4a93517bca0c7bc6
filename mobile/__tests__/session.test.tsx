import { fireEvent, screen, waitFor } from '@testing-library/react-native';
import * as SecureStore from 'expo-secure-store';
import { Platform } from 'react-native';

import { COOKIE_SESSION, getToken } from '@/api/session';
import { AccountScreen } from '@/features/account/AccountScreen';

import { ME, page } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi, type RecordedCall } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

/** The secure store's contents (kept in memory by jest.setup.ts). */
const secureStore = (SecureStore as unknown as { __store: Map<string, string> }).__store;

/** A browser's localStorage or sessionStorage, in memory. */
class MemoryStorage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
  entries() {
    return [...this.items.entries()];
  }
}

function signInWith(email: string, password: string) {
  fireEvent.changeText(screen.getByLabelText('Email'), email);
  fireEvent.changeText(screen.getByLabelText('Password'), password);
  fireEvent.press(screen.getByTestId('account-submit'));
}

/** The calls the signed-in screens make after signing in. */
function withAccount(fake: FakeApi): FakeApi {
  fake.on('GET', '/v1/me/favorites', { body: page([]) });
  fake.on('GET', '/v1/me/inquiries', { body: { items: [], next_cursor: null } });
  return fake;
}

const signedInCalls = (fake: FakeApi): RecordedCall[] => fake.calls.filter((c) => c.path.startsWith('/v1/me'));

afterEach(() => {
  resetApp();
  secureStore.clear();
  jest.clearAllMocks();
});

describe('on the web, the session is the API’s cookie', () => {
  let os: jest.ReplaceProperty<typeof Platform.OS>;
  let local: MemoryStorage;
  let session: MemoryStorage;

  beforeEach(() => {
    os = jest.replaceProperty(Platform, 'OS', 'web');
    local = new MemoryStorage();
    session = new MemoryStorage();
    Object.assign(globalThis, { localStorage: local, sessionStorage: session });
  });

  afterEach(() => {
    os.restore();
    delete (globalThis as { localStorage?: unknown }).localStorage;
    delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
  });

  it('signs in asking for the cookie, keeps no token anywhere, and signs every request with the cookie and the web header', async () => {
    const fake = withAccount(installFakeApi());
    // Not signed in when the app starts.
    fake.on('GET', '/v1/me', { status: 401, body: problem(401, 'unauthorized', 'Sign in first') });
    fake.on('POST', '/v1/auth/login', { body: { expires_at: '2030-01-01T00:00:00Z', user: ME }, headers: { 'Set-Cookie': 'kennel_session=kn_secret; HttpOnly' } });
    await renderApp(<AccountScreen />);
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();

    signInWith('ada@example.org', 'correct horse battery');
    expect(await screen.findByTestId('account-signed-in')).toBeTruthy();
    expect(screen.getByText('ada@example.org')).toBeTruthy();

    const login = fake.calls.find((c) => c.path === '/v1/auth/login')!;
    expect(JSON.parse(login.body!)).toEqual({ email: 'ada@example.org', password: 'correct horse battery', cookie: true });
    // Nothing kept: no secure store, nothing but the anonymous device id in the browser's storage.
    expect(getToken()).toBe(COOKIE_SESSION);
    expect(SecureStore.setItemAsync).not.toHaveBeenCalled();
    expect(local.entries().map(([key]) => key)).toEqual(['kennel.device-id']);
    expect(session.length).toBe(0);

    // The account's own lists are asked with the browser's cookie, never a bearer token.
    await waitFor(() => expect(signedInCalls(fake).filter((c) => c.path !== '/v1/me').length).toBeGreaterThan(0));
    for (const call of fake.calls) {
      expect(call.credentials).toBe('include');
      expect(call.headers.get('X-Kennel-Client')).toBe('web');
      expect(call.headers.get('Authorization')).toBeNull();
    }
  });

  it('stays signed in across a reload: the start asks GET /v1/me with the cookie', async () => {
    const fake = withAccount(installFakeApi());
    fake.on('GET', '/v1/me', { body: ME });
    await renderApp(<AccountScreen />);
    expect(await screen.findByTestId('account-signed-in')).toBeTruthy();
    expect(screen.getByText('ada@example.org')).toBeTruthy();
    const [restore] = fake.calls;
    expect(restore!.path).toBe('/v1/me');
    expect(restore!.credentials).toBe('include');
    expect(restore!.headers.get('X-Kennel-Client')).toBe('web');
    // The answer is the account: it is not asked for twice.
    expect(fake.count('GET', '/v1/me')).toBe(1);
    expect(getToken()).toBe(COOKIE_SESSION);
  });

  it('starts signed out when GET /v1/me answers 401', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { status: 401, body: problem(401, 'unauthorized', 'Sign in first') });
    await renderApp(<AccountScreen />);
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    expect(getToken()).toBeNull();
    // A 401 is an answer: asked once.
    expect(fake.count('GET', '/v1/me')).toBe(1);
  });

  it('waits for the API rather than signing out when the start cannot reach it', async () => {
    const fake = withAccount(installFakeApi());
    fake.on('GET', '/v1/me', ['network-error', { body: ME }]);
    await renderApp(<AccountScreen />);
    expect(screen.getByTestId('skeleton')).toBeTruthy();
    expect(await screen.findByTestId('account-signed-in')).toBeTruthy();
    expect(fake.count('GET', '/v1/me')).toBe(2);
  });

  it('signs out through the API, which clears the cookie', async () => {
    const fake = withAccount(installFakeApi());
    fake.on('GET', '/v1/me', { body: ME });
    fake.on('POST', '/v1/auth/logout', { status: 204 });
    await renderApp(<AccountScreen />);
    fireEvent.press(await screen.findByLabelText('Sign out'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    const logout = fake.calls.find((c) => c.path === '/v1/auth/logout')!;
    expect(logout.credentials).toBe('include');
    expect(logout.headers.get('X-Kennel-Client')).toBe('web');
    expect(logout.headers.get('Authorization')).toBeNull();
    expect(getToken()).toBeNull();
  });

  it('stays signed in, and says so, when signing out does not reach the API', async () => {
    const fake = withAccount(installFakeApi());
    fake.on('GET', '/v1/me', { body: ME });
    fake.on('POST', '/v1/auth/logout', 'network-error');
    await renderApp(<AccountScreen />);
    fireEvent.press(await screen.findByLabelText('Sign out'));
    expect(await screen.findByText('Not signed out. Can’t reach Kennel. Check your connection and try again.')).toBeTruthy();
    expect(screen.getByTestId('account-signed-in')).toBeTruthy();
    expect(getToken()).toBe(COOKIE_SESSION);

    // Tried again once the API answers.
    fake.on('POST', '/v1/auth/logout', { status: 204 });
    fireEvent.press(screen.getByLabelText('Sign out'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
  });

  it('signs out on the device when the session had already ended (401)', async () => {
    const fake = withAccount(installFakeApi());
    fake.on('GET', '/v1/me', { body: ME });
    fake.on('POST', '/v1/auth/logout', { status: 401, body: problem(401, 'unauthorized', 'Session ended') });
    await renderApp(<AccountScreen />);
    fireEvent.press(await screen.findByLabelText('Sign out'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
  });
});

describe('on iOS and Android, the session is a bearer token in the secure store', () => {
  it('signs in without the cookie, keeps the token in the secure store and sends it as a bearer token', async () => {
    const fake = withAccount(installFakeApi());
    fake.on('POST', '/v1/auth/login', { body: { token: 'kn_token1', expires_at: '2030-01-01T00:00:00Z', user: ME } });
    fake.on('POST', '/v1/auth/logout', { status: 204 });
    await renderApp(<AccountScreen />);
    signInWith('ada@example.org', 'correct horse battery');
    expect(await screen.findByTestId('account-signed-in')).toBeTruthy();

    const login = fake.calls.find((c) => c.path === '/v1/auth/login')!;
    expect(JSON.parse(login.body!)).toEqual({ email: 'ada@example.org', password: 'correct horse battery' });
    expect(SecureStore.setItemAsync).toHaveBeenCalledWith('kennel.session', 'kn_token1');
    await waitFor(() => expect(signedInCalls(fake).length).toBeGreaterThan(0));
    for (const call of signedInCalls(fake)) {
      expect(call.headers.get('Authorization')).toBe('Bearer kn_token1');
      expect(call.headers.get('X-Kennel-Client')).toBeNull();
      expect(call.credentials).not.toBe('include');
    }

    fireEvent.press(screen.getByLabelText('Sign out'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    expect(fake.calls.find((c) => c.path === '/v1/auth/logout')!.headers.get('Authorization')).toBe('Bearer kn_token1');
    await waitFor(() => expect(secureStore.has('kennel.session')).toBe(false));
  });

  it('starts signed in with the token kept in the secure store', async () => {
    secureStore.set('kennel.session', 'kn_token1');
    const fake = withAccount(installFakeApi());
    fake.on('GET', '/v1/me', { body: ME });
    await renderApp(<AccountScreen />);
    expect(await screen.findByTestId('account-signed-in')).toBeTruthy();
    expect(getToken()).toBe('kn_token1');
    expect(fake.calls.find((c) => c.path === '/v1/me')!.headers.get('Authorization')).toBe('Bearer kn_token1');
  });

  it('forgets the token on the device even when signing out does not reach the API', async () => {
    secureStore.set('kennel.session', 'kn_token1');
    const fake = withAccount(installFakeApi());
    fake.on('GET', '/v1/me', { body: ME });
    fake.on('POST', '/v1/auth/logout', 'network-error');
    await renderApp(<AccountScreen />);
    fireEvent.press(await screen.findByLabelText('Sign out'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    await waitFor(() => expect(secureStore.has('kennel.session')).toBe(false));
  });
});
