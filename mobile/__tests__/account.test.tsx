import { fireEvent, screen, waitFor } from '@testing-library/react-native';

import { AccountScreen } from '@/features/account/AccountScreen';
import { validateSignUp } from '@/features/account/validation';

import { ME, page, puppy } from './helpers/fixtures';
import { installFakeApi, problem } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

const session = { token: 'tok-1', expires_at: '2030-01-01T00:00:00Z', user: ME };

/** Fills the sign-up form as Ada and sends it. */
function submitSignUp() {
  fireEvent.press(screen.getByLabelText('I am new here'));
  fireEvent.changeText(screen.getByLabelText('Your name'), 'Ada');
  fireEvent.changeText(screen.getByLabelText('Email'), 'ada@example.org');
  fireEvent.changeText(screen.getByLabelText('Password'), 'correct horse battery');
  fireEvent.press(screen.getByTestId('account-submit'));
}

describe('Account', () => {
  it('validates the sign-up form before sending anything', async () => {
    const fake = installFakeApi();
    await renderApp(<AccountScreen />);
    fireEvent.press(screen.getByLabelText('I am new here'));
    fireEvent.changeText(screen.getByLabelText('Email'), 'not-an-email');
    fireEvent.changeText(screen.getByLabelText('Password'), 'short');
    fireEvent.press(screen.getByTestId('account-submit'));
    expect(screen.getByText('Enter your name.')).toBeTruthy();
    expect(screen.getByText('Enter a valid email address.')).toBeTruthy();
    expect(screen.getByText('Use at least 10 characters.')).toBeTruthy();
    expect(fake.calls).toHaveLength(0);
    expect(validateSignUp({ display_name: 'A', email: 'abcdefghij@b.co', password: 'abcdefghij@b.co' }).password).toMatch(/email/);
  });

  it('signs up (registers, then signs in with the same details), then shows the account and signs out', async () => {
    const fake = installFakeApi();
    fake.on('POST', '/v1/auth/register', { status: 202, body: { email: 'ada@example.org', next: 'sign_in' } });
    fake.on('POST', '/v1/auth/login', { body: session });
    fake.on('GET', '/v1/me', { body: ME });
    fake.on('POST', '/v1/auth/logout', { status: 204 });
    await renderApp(<AccountScreen />);
    submitSignUp();
    expect(await screen.findByTestId('account-signed-in')).toBeTruthy();
    expect(screen.getByText('ada@example.org')).toBeTruthy();
    const login = fake.calls.find((c) => c.path === '/v1/auth/login')!;
    expect(JSON.parse(login.body!)).toEqual({ email: 'ada@example.org', password: 'correct horse battery' });
    expect(fake.calls.findIndex((c) => c.path === '/v1/auth/register')).toBeLessThan(fake.calls.indexOf(login));
    fireEvent.press(screen.getByLabelText('Sign out'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    expect(fake.calls.find((c) => c.path === '/v1/auth/logout')!.headers.get('Authorization')).toBe('Bearer tok-1');
  });

  it('says the address may have an account when signing in after registering fails', async () => {
    const fake = installFakeApi();
    // The same 202 as for a new address: the server does not say it is taken.
    fake.on('POST', '/v1/auth/register', { status: 202, body: { email: 'ada@example.org', next: 'sign_in' } });
    fake.on('POST', '/v1/auth/login', { status: 401, body: problem(401, 'unauthorized', 'Sign-in required') });
    await renderApp(<AccountScreen />);
    submitSignUp();
    expect(await screen.findByText('This email may already have an account. Sign in with its password instead.')).toBeTruthy();
    expect(screen.getByTestId('sign-up-form')).toBeTruthy();
  });

  it('says when the email and password do not match', async () => {
    installFakeApi().on('POST', '/v1/auth/login', { status: 401, body: problem(401, 'unauthorized', 'Sign-in required') });
    await renderApp(<AccountScreen />);
    fireEvent.changeText(screen.getByLabelText('Email'), 'ada@example.org');
    fireEvent.changeText(screen.getByLabelText('Password'), 'wrong password');
    fireEvent.press(screen.getByTestId('account-submit'));
    expect(await screen.findByText('That email and password do not match an account.')).toBeTruthy();
  });

  it('shows a skeleton while the account loads, and deletes the account after confirmation', async () => {
    const fake = installFakeApi();
    let release!: () => void;
    fake.on('GET', '/v1/me', () => new Promise((r) => (release = () => r({ body: ME }))));
    fake.on('DELETE', '/v1/me', { status: 204 });
    await renderApp(<AccountScreen />, { token: 'tok-1' });
    expect(screen.getByTestId('skeleton')).toBeTruthy();
    release();
    fireEvent.press(await screen.findByLabelText('Delete account'));
    fireEvent.press(screen.getByLabelText('Yes, delete my account'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
    await waitFor(() => expect(fake.count('DELETE', '/v1/me')).toBe(1));
  });

  it('shows what the person has: member since, favourites and messages sent', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: { ...ME, created_at: '2025-01-15T09:00:00Z' } });
    fake.on('GET', '/v1/me/favorites', { body: page([puppy(1), puppy(2)]) });
    const inquiry = (n: number) => ({ id: `i${n}`, puppy: { id: puppy(1).id, name: 'Puppy 1' }, organization: { id: 'o', name: 'Rose City Rescue' }, organization_id: 'o', message: 'Hi', contact_preference: 'email', status: 'open', created_at: '2025-06-01T10:00:00Z', replies: [] });
    // Two pages of inquiries: all are counted.
    fake.on('GET', '/v1/me/inquiries', (_req, url) =>
      url.searchParams.get('cursor') === 'c2'
        ? { body: { items: [inquiry(101)], next_cursor: null } }
        : { body: { items: Array.from({ length: 100 }, (_, i) => inquiry(i)), next_cursor: 'c2' } },
    );
    await renderApp(<AccountScreen />, { token: 'tok-1' });
    expect(await screen.findByRole('header', { name: 'Ada' })).toBeTruthy();
    expect(screen.getByLabelText('Member since: January 2025')).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Favourites: 2' })).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Messages to shelters: 101' })).toBeTruthy();
    expect(fake.count('GET', '/v1/me/inquiries')).toBe(2);
  });

  it('says when a count cannot be loaded rather than showing a wrong one', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: ME });
    fake.on('GET', '/v1/me/favorites', { body: page([]) });
    fake.on('GET', '/v1/me/inquiries', { status: 403, body: problem(403, 'forbidden', 'Forbidden') });
    await renderApp(<AccountScreen />, { token: 'tok-1' });
    expect(await screen.findByRole('link', { name: 'Favourites: 0' })).toBeTruthy();
    expect(await screen.findByLabelText('Messages to shelters: Not available right now')).toBeTruthy();
  });
});
