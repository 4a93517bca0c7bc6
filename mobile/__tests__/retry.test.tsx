import { useQuery } from '@tanstack/react-query';
import { act, screen, waitFor } from '@testing-library/react-native';
import { Text } from 'react-native';

import { api, unwrap } from '@/api/client';
import { ApiError, friendlyMessage, parseRetryAfter, THREAD_ERRORS } from '@/api/errors';
import { retryDelay, shouldRetry } from '@/api/retry';

import { page, puppy } from './helpers/fixtures';
import { installFakeApi, problem } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(() => {
  jest.useRealTimers();
  resetApp();
});

function Probe() {
  const q = useQuery({ queryKey: ['probe'], queryFn: () => unwrap(api.GET('/v1/puppies', { params: { query: { limit: 1 } } })) });
  if (q.isPending) return <Text>loading</Text>;
  if (q.isError) return <Text>failed: {friendlyMessage(q.error)}</Text>;
  return <Text>got {q.data.items.length}</Text>;
}

describe('retry policy', () => {
  it('retries a 500 and succeeds on the following 200', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/puppies', [{ status: 500, body: problem(500, 'internal_error', 'Internal error') }, { body: page([puppy(1)]) }]);
    await renderApp(<Probe />);
    expect(await screen.findByText('got 1')).toBeTruthy();
    expect(fake.count('GET', '/v1/puppies')).toBe(2);
  });

  it('never retries a 400', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/puppies', { status: 400, body: problem(400, 'validation_failed', 'Invalid', { errors: [{ field: 'limit', message: 'too big' }] }) });
    await renderApp(<Probe />);
    expect(await screen.findByText(/failed:/)).toBeTruthy();
    expect(fake.count('GET', '/v1/puppies')).toBe(1);
  });

  it('retries network failures', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/puppies', ['network-error', { body: page([puppy(1), puppy(2)]) }]);
    fake.on('GET', '/healthz', { body: { status: 'ok' } });
    await renderApp(<Probe />);
    expect(await screen.findByText('got 2', {}, { timeout: 4000 })).toBeTruthy();
  });

  it('waits for Retry-After before trying a 429 again', async () => {
    jest.useFakeTimers();
    const fake = installFakeApi();
    fake.on('GET', '/v1/puppies', [{ status: 429, body: problem(429, 'rate_limited', 'Too many requests'), headers: { 'Retry-After': '3' } }, { body: page([puppy(1)]) }]);
    await renderApp(<Probe />);
    await waitFor(() => expect(fake.count('GET', '/v1/puppies')).toBe(1));
    await act(async () => {
      jest.advanceTimersByTime(2900);
    });
    expect(fake.count('GET', '/v1/puppies')).toBe(1);
    await act(async () => {
      jest.advanceTimersByTime(200);
    });
    await waitFor(() => expect(fake.count('GET', '/v1/puppies')).toBe(2));
    expect(await screen.findByText('got 1')).toBeTruthy();
  });

  it('decides and spaces retries by status', () => {
    const err = (status: number, retryAfter: number | null = null) => new ApiError({ status, code: 'x', retryAfter });
    expect(shouldRetry(0, err(0))).toBe(true);
    expect(shouldRetry(0, err(503))).toBe(true);
    expect(shouldRetry(0, err(429))).toBe(true);
    expect(shouldRetry(0, err(404))).toBe(false);
    expect(shouldRetry(0, err(422))).toBe(false);
    expect(shouldRetry(3, err(500))).toBe(false);
    expect(retryDelay(0, err(503, 7))).toBe(7000);
    expect(retryDelay(0, err(500), 1000, () => 1)).toBe(1000);
    expect(retryDelay(2, err(500), 1000, () => 1)).toBe(4000);
    expect(retryDelay(10, err(500), 1000, () => 1)).toBe(30000);
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThanOrEqual(4);
  });
});

describe('friendly errors', () => {
  it('names the problem in words by code and status', () => {
    expect(friendlyMessage(new ApiError({ status: 0, code: 'network_error' }))).toMatch(/Can’t reach Kennel/);
    expect(friendlyMessage(new ApiError({ status: 503, code: 'feature_unavailable' }))).toBe('Feature temporarily unavailable.');
    expect(friendlyMessage(new ApiError({ status: 415, code: 'unsupported_media_type' }))).toMatch(/JPEG, PNG or WebP/);
    expect(friendlyMessage(new ApiError({ status: 429, code: 'rate_limited', retryAfter: 30 }))).toMatch(/wait 30 seconds/);
    expect(friendlyMessage(new ApiError({ status: 409, code: 'email_taken' }))).toMatch(/already exists/);
    expect(friendlyMessage(new ApiError({ status: 500, code: 'internal_error' }))).toMatch(/on our side/);
    expect(friendlyMessage(new Error('boom'))).toMatch(/Something went wrong/);
  });

  it('uses a screen’s own words where its subject needs them, the general ones elsewhere', () => {
    const stale = new ApiError({ status: 412, code: 'precondition_failed' });
    expect(friendlyMessage(stale)).toMatch(/Someone else saved this puppy/);
    expect(friendlyMessage(stale, THREAD_ERRORS)).toBe('Someone else changed this thread; reloaded.');
    // A status that always means one problem finds its words without the code.
    expect(friendlyMessage(new ApiError({ status: 412, code: 'http_412' }), THREAD_ERRORS)).toBe('Someone else changed this thread; reloaded.');
    expect(friendlyMessage(new ApiError({ status: 404, code: 'not_found' }), THREAD_ERRORS)).toMatch(/could not find/);
    expect(friendlyMessage(new ApiError({ status: 409, code: 'request_in_progress' }))).toMatch(/still being sent/);
  });
});
