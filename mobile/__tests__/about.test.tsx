import { screen } from '@testing-library/react-native';

import { EnvironmentBanner } from '@/components/Banners';
import { AboutScreen } from '@/features/about/AboutScreen';
import { scrubEvent } from '@/monitoring/sentry';

import { installFakeApi } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

describe('About', () => {
  it('shows the version and environment, and the banner outside production', async () => {
    installFakeApi();
    await renderApp(
      <>
        <EnvironmentBanner />
        <AboutScreen />
      </>,
    );
    expect(screen.getByTestId('about-version').props.children).toMatch(/^\d+\.\d+\.\d+$/);
    expect(screen.getByTestId('about-environment').props.children).toBe('local');
    expect(screen.getByTestId('environment-banner')).toBeTruthy();
  });
});

describe('error tracking', () => {
  it('removes personal data before sending', () => {
    const event = scrubEvent({
      type: undefined,
      user: { id: 'u1', email: 'ada@example.org' },
      message: 'failed for ada@example.org',
      request: { url: 'https://api.example.com/v1/me', data: '{"password":"x"}', headers: { Authorization: 'Bearer abc' } },
      breadcrumbs: [{ message: 'POST', data: { url: 'https://api.example.com/v1/auth/login?x=1', body: '{"password":"x"}' } }],
    });
    expect(event.user).toBeUndefined();
    expect(event.request?.data).toBeUndefined();
    expect(event.request?.headers?.Authorization).toBeUndefined();
    expect(event.message).toBe('failed for [email]');
    expect(event.breadcrumbs?.[0]?.data).toEqual({ url: 'https://api.example.com/v1/auth/login' });
  });

  it('leaves out the token of a link from an email, in the page address and in navigation', () => {
    const event = scrubEvent({
      type: undefined,
      request: { url: 'https://app.example.com/reset-password?token=secret-1' },
      breadcrumbs: [{ category: 'navigation', data: { from: '/verify-email?token=secret-2', to: '/confirm-email?token=secret-3' } }],
    });
    expect(JSON.stringify(event)).not.toMatch(/secret/);
    expect(event.request?.url).toBe('https://app.example.com/reset-password');
    expect(event.breadcrumbs?.[0]?.data).toEqual({ from: '/verify-email', to: '/confirm-email' });
  });
});
