/**
 * The screens of the links in account emails (forgot and reset password, confirm the
 * address, confirm a new address), opened as a link opens them, and Account's notice
 * for an unconfirmed address.
 */
import { act, fireEvent, renderRouter, screen, waitFor } from 'expo-router/testing-library';

import { getToken, setToken } from '@/api/session';
import { AccountScreen } from '@/features/account/AccountScreen';
import { RESEND_WAIT_MS } from '@/features/account/useAccountEmail';

import { ME, page, puppy } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(() => {
  jest.useRealTimers();
  resetApp();
});

const UNCONFIRMED = { ...ME, email_verified: false };

/** The API behind every screen here; tests add the answers they are about. */
function api(): FakeApi {
  const fake = installFakeApi();
  fake.on('GET', '/v1/puppies', { body: page([puppy(1)]) });
  fake.on('GET', '/v1/config', { body: { environment: 'local', flags: { assistant: false, inquiries: false, photo_uploads: false } } });
  fake.on('GET', '/v1/me/unread', { body: { threads: 0, messages: 0 } });
  return fake;
}

/** The real routes of app/, opened at a URL as a link from an email opens them. */
async function openAt(url: string) {
  const app = renderRouter('./app', { initialUrl: url });
  await waitFor(() => expect(app.getPathname()).toBe(url.split('?')[0]));
  return app;
}

const tokenProblem = (message = 'This link has expired or was already used.') =>
  problem(400, 'validation_failed', 'Validation failed', { errors: [{ field: 'token', message }] });

describe('Forgot password', () => {
  it('is reachable from the sign-in form, and says the same thing once the link is asked for', async () => {
    const fake = api();
    fake.on('POST', '/v1/auth/password-reset', { status: 202, body: { next: 'check_email' } });
    const app = await openAt('/account');
    fireEvent.press(await screen.findByRole('link', { name: 'Forgot your password?' }));
    await waitFor(() => expect(app.getPathname()).toBe('/forgot-password'));
    expect(await screen.findByRole('header', { name: 'Forgot your password?' })).toBeTruthy();

    // Checked before anything is sent.
    fireEvent.changeText(screen.getByLabelText('Email'), 'not an address');
    fireEvent.press(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByText('Enter a valid email address.')).toBeTruthy();
    expect(fake.count('POST', '/v1/auth/password-reset')).toBe(0);

    fireEvent.changeText(screen.getByLabelText('Email'), ' ada@example.org ');
    fireEvent.press(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByText('If an account uses this address, a link is on its way.')).toBeTruthy();
    const call = fake.calls.find((c) => c.path === '/v1/auth/password-reset')!;
    expect(JSON.parse(call.body!)).toEqual({ email: 'ada@example.org' });

    // Back to the sign-in form it came from.
    fireEvent.press(screen.getByRole('button', { name: 'Back to sign in' }));
    await waitFor(() => expect(app.getPathname()).toBe('/account'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
  });

  it('shows a malformed address on the field and a rate limit as a sentence, and keeps the form', async () => {
    const fake = api();
    fake.on('POST', '/v1/auth/password-reset', [
      { status: 400, body: problem(400, 'validation_failed', 'Validation failed', { errors: [{ field: 'email', message: 'Enter an email address.' }] }) },
      { status: 429, body: problem(429, 'rate_limited', 'Too many requests'), headers: { 'Retry-After': '30' } },
    ]);
    await openAt('/forgot-password');
    fireEvent.changeText(await screen.findByLabelText('Email'), 'ada@example.org');
    fireEvent.press(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByText('Enter an email address.')).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByText('Too many requests. Please wait 30 seconds and try again.')).toBeTruthy();
    expect(screen.queryByText('If an account uses this address, a link is on its way.')).toBeNull();
    expect(fake.count('POST', '/v1/auth/password-reset')).toBe(2);
  });

  it('opened from a link, goes back to Browse', async () => {
    api();
    const app = await openAt('/forgot-password');
    fireEvent.press(await screen.findByRole('button', { name: 'Back' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByText('Puppy 1')).toBeTruthy();
  });
});

describe('Reset password', () => {
  it('sets the new password, signs this device out, and leads to sign in', async () => {
    const fake = api();
    fake.on('GET', '/v1/me', { body: ME });
    fake.on('POST', '/v1/auth/password-reset/confirm', { status: 204 });
    setToken('tok-1');
    const app = await openAt('/reset-password?token=reset-abc');
    expect(await screen.findByRole('header', { name: 'Choose a new password' })).toBeTruthy();

    // The rule and the repeat are checked first.
    fireEvent.changeText(screen.getByLabelText('New password'), 'short');
    fireEvent.press(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('Use at least 10 characters.')).toBeTruthy();
    fireEvent.changeText(screen.getByLabelText('New password'), 'a much longer secret');
    fireEvent.changeText(screen.getByLabelText('Confirm new password'), 'a much longer secre');
    fireEvent.press(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('The two passwords are not the same.')).toBeTruthy();
    expect(fake.count('POST', '/v1/auth/password-reset/confirm')).toBe(0);

    fireEvent.changeText(screen.getByLabelText('Confirm new password'), 'a much longer secret');
    fireEvent.press(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByRole('header', { name: 'Your password is changed' })).toBeTruthy();
    const call = fake.calls.find((c) => c.path === '/v1/auth/password-reset/confirm')!;
    expect(JSON.parse(call.body!)).toEqual({ token: 'reset-abc', new_password: 'a much longer secret' });
    expect(getToken()).toBeNull();

    fireEvent.press(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(app.getPathname()).toBe('/account'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
  });

  it('shows the password rule’s message on the field', async () => {
    const fake = api();
    fake.on('POST', '/v1/auth/password-reset/confirm', {
      status: 400,
      body: problem(400, 'validation_failed', 'Validation failed', { errors: [{ field: 'new_password', message: 'Don’t use your email address as the password.' }] }),
    });
    await openAt('/reset-password?token=reset-abc');
    fireEvent.changeText(await screen.findByLabelText('New password'), 'ada@example.org');
    fireEvent.changeText(screen.getByLabelText('Confirm new password'), 'ada@example.org');
    fireEvent.press(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('Don’t use your email address as the password.')).toBeTruthy();
    expect(screen.getByLabelText('New password').props['aria-invalid']).toBe(true);
    expect(screen.getByRole('header', { name: 'Choose a new password' })).toBeTruthy();
  });

  it('a bad, expired or used link says so and leads to asking for a new one', async () => {
    const fake = api();
    fake.on('POST', '/v1/auth/password-reset/confirm', { status: 400, body: tokenProblem() });
    const app = await openAt('/reset-password?token=used');
    fireEvent.changeText(await screen.findByLabelText('New password'), 'a much longer secret');
    fireEvent.changeText(screen.getByLabelText('Confirm new password'), 'a much longer secret');
    fireEvent.press(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByRole('header', { name: 'This link has expired or was used' })).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Ask for a new link' }));
    await waitFor(() => expect(app.getPathname()).toBe('/forgot-password'));
    expect(await screen.findByRole('header', { name: 'Forgot your password?' })).toBeTruthy();
  });

  it('without a token, says the link is incomplete instead of failing', async () => {
    const fake = api();
    const app = await openAt('/reset-password');
    expect(await screen.findByRole('header', { name: 'This link is incomplete' })).toBeTruthy();
    expect(screen.queryByLabelText('New password')).toBeNull();
    fireEvent.press(screen.getByRole('button', { name: 'Go to Browse puppies' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByText('Puppy 1')).toBeTruthy();
    expect(fake.count('POST', '/v1/auth/password-reset/confirm')).toBe(0);
  });
});

describe('Confirm the email address', () => {
  it('confirms once on opening, and the account shows the address as confirmed', async () => {
    const fake = api();
    let verified = false;
    fake.on('GET', '/v1/me', () => ({ body: { ...ME, email_verified: verified } }));
    fake.on('POST', '/v1/auth/verify-email', () => {
      verified = true;
      return { status: 204 };
    });
    setToken('tok-1');
    const app = await openAt('/verify-email?token=verify-abc');
    expect(await screen.findByRole('header', { name: 'Email address confirmed' })).toBeTruthy();
    expect(JSON.parse(fake.calls.find((c) => c.path === '/v1/auth/verify-email')!.body!)).toEqual({ token: 'verify-abc' });

    fireEvent.press(screen.getByRole('button', { name: 'Go to your account' }));
    await waitFor(() => expect(app.getPathname()).toBe('/account'));
    expect(await screen.findByRole('header', { name: 'Ada' })).toBeTruthy();
    expect(screen.queryByTestId('verify-email-notice')).toBeNull();
    // Rendering again (another screen, the account loading) never sent the token again.
    expect(fake.count('POST', '/v1/auth/verify-email')).toBe(1);
  });

  it('an expired or used link says so, and a signed-in person can send a new one from there', async () => {
    const fake = api();
    fake.on('GET', '/v1/me', { body: UNCONFIRMED });
    fake.on('POST', '/v1/auth/verify-email', { status: 400, body: tokenProblem() });
    fake.on('POST', '/v1/me/verification-email', { status: 202, body: { next: 'check_email' } });
    setToken('tok-1');
    await openAt('/verify-email?token=old');
    expect(await screen.findByRole('header', { name: 'This link has expired or was used' })).toBeTruthy();
    fireEvent.press(await screen.findByRole('button', { name: 'Send a new link' }));
    expect(await screen.findByText('Sent — check your inbox')).toBeTruthy();
    expect(fake.count('POST', '/v1/me/verification-email')).toBe(1);
    expect(fake.count('POST', '/v1/auth/verify-email')).toBe(1);
  });

  it('signed out, an expired link leads to signing in for a new one', async () => {
    api().on('POST', '/v1/auth/verify-email', { status: 400, body: tokenProblem() });
    const app = await openAt('/verify-email?token=old');
    expect(await screen.findByRole('header', { name: 'This link has expired or was used' })).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Sign in to get a new link' }));
    await waitFor(() => expect(app.getPathname()).toBe('/account'));
    expect(await screen.findByTestId('sign-in-form')).toBeTruthy();
  });

  it('when the API cannot be reached, offers to try again', async () => {
    const fake = api();
    fake.on('POST', '/v1/auth/verify-email', ['network-error', { status: 204 }]);
    await openAt('/verify-email?token=verify-abc');
    expect(await screen.findByRole('header', { name: 'Couldn’t confirm your email address' })).toBeTruthy();
    // Not tried again by itself: the first try may have used the token.
    expect(fake.count('POST', '/v1/auth/verify-email')).toBe(1);
    fireEvent.press(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('header', { name: 'Email address confirmed' })).toBeTruthy();
  });

  it('without a token, says the link is incomplete and sends nothing', async () => {
    const fake = api();
    const app = await openAt('/verify-email');
    expect(await screen.findByRole('header', { name: 'This link is incomplete' })).toBeTruthy();
    expect(fake.count('POST', '/v1/auth/verify-email')).toBe(0);
    fireEvent.press(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
  });
});

describe('Confirm a new email address', () => {
  it('moves the account to the new address', async () => {
    const fake = api();
    fake.on('POST', '/v1/auth/email-change/confirm', { status: 204 });
    const app = await openAt('/confirm-email?token=change-abc');
    expect(await screen.findByRole('header', { name: 'New email address confirmed' })).toBeTruthy();
    expect(JSON.parse(fake.calls.find((c) => c.path === '/v1/auth/email-change/confirm')!.body!)).toEqual({ token: 'change-abc' });
    fireEvent.press(screen.getByRole('button', { name: 'Go to Browse puppies' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(fake.count('POST', '/v1/auth/email-change/confirm')).toBe(1);
  });

  it('an expired or used link says so', async () => {
    api().on('POST', '/v1/auth/email-change/confirm', { status: 400, body: tokenProblem() });
    await openAt('/confirm-email?token=old');
    expect(await screen.findByRole('header', { name: 'This link has expired or was used' })).toBeTruthy();
    expect(screen.getByText(/Your email address has not changed\./)).toBeTruthy();
  });

  it('an address another account took meanwhile has its own message', async () => {
    api().on('POST', '/v1/auth/email-change/confirm', { status: 409, body: problem(409, 'email_taken', 'Email taken') });
    await openAt('/confirm-email?token=taken');
    expect(await screen.findByRole('header', { name: 'That address is taken' })).toBeTruthy();
    expect(screen.getByText(/Another account started using this address/)).toBeTruthy();
  });

  it('without a token, says the link is incomplete', async () => {
    const fake = api();
    await openAt('/confirm-email');
    expect(await screen.findByRole('header', { name: 'This link is incomplete' })).toBeTruthy();
    expect(fake.count('POST', '/v1/auth/email-change/confirm')).toBe(0);
  });
});

describe('Account: an unconfirmed address', () => {
  function accountApi(me = UNCONFIRMED) {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: me });
    fake.on('GET', '/v1/me/favorites', { body: page([]) });
    fake.on('GET', '/v1/me/inquiries', { body: { items: [], next_cursor: null } });
    return fake;
  }

  it('asks to confirm it; sending the link again says so and waits before the next', async () => {
    const fake = accountApi();
    fake.on('POST', '/v1/me/verification-email', { status: 202, body: { next: 'check_email' } });
    await renderApp(<AccountScreen />, { token: 'tok-1' });
    expect(await screen.findByRole('header', { name: 'Confirm your email address' })).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Send the link again' });
    fireEvent.press(button);
    expect(await screen.findByText('Sent — check your inbox')).toBeTruthy();
    expect(fake.calls.find((c) => c.path === '/v1/me/verification-email')!.headers.get('Authorization')).toBe('Bearer tok-1');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Send the link again' })).toBeDisabled());
    fireEvent.press(screen.getByRole('button', { name: 'Send the link again' }));
    expect(fake.count('POST', '/v1/me/verification-email')).toBe(1);
  });

  it('the button comes back after the wait', async () => {
    // Fake timers from the start, so the wait's timer is one of them.
    jest.useFakeTimers();
    const fake = accountApi();
    fake.on('POST', '/v1/me/verification-email', { status: 202, body: { next: 'check_email' } });
    await renderApp(<AccountScreen />, { token: 'tok-1' });
    fireEvent.press(await screen.findByRole('button', { name: 'Send the link again' }));
    expect(await screen.findByText('Sent — check your inbox')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send the link again' })).toBeDisabled();
    await act(async () => {
      jest.advanceTimersByTime(RESEND_WAIT_MS - 1000);
    });
    expect(screen.getByRole('button', { name: 'Send the link again' })).toBeDisabled();
    await act(async () => {
      jest.advanceTimersByTime(1000);
    });
    expect(screen.getByRole('button', { name: 'Send the link again' })).toBeEnabled();
  });

  it('a refused send says why', async () => {
    const fake = accountApi();
    fake.on('POST', '/v1/me/verification-email', { status: 429, body: problem(429, 'rate_limited', 'Too many requests'), headers: { 'Retry-After': '90' } });
    await renderApp(<AccountScreen />, { token: 'tok-1' });
    fireEvent.press(await screen.findByRole('button', { name: 'Send the link again' }));
    expect(await screen.findByText('Too many requests. Please wait 90 seconds and try again.')).toBeTruthy();
    expect(screen.queryByText('Sent — check your inbox')).toBeNull();
  });

  it('says nothing when the address is confirmed', async () => {
    accountApi(ME);
    await renderApp(<AccountScreen />, { token: 'tok-1' });
    expect(await screen.findByRole('header', { name: 'Ada' })).toBeTruthy();
    expect(screen.queryByTestId('verify-email-notice')).toBeNull();
  });
});
