import { act, screen } from '@testing-library/react-native';
import { View } from 'react-native';

import { OfflineBanner } from '@/components/Banners';
import { BrowseScreen } from '@/features/browse/BrowseScreen';

import { page, puppy } from './helpers/fixtures';
import { installFakeApi } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

const setNetwork = (value: boolean) => (globalThis as unknown as { __setNetwork: (v: boolean) => void }).__setNetwork(value);

afterEach(() => {
  act(() => setNetwork(true));
  resetApp();
});

describe('offline banner', () => {
  it('appears while the device is offline and goes when it is back', async () => {
    installFakeApi().on('GET', '/v1/puppies', { body: page([puppy(1)]) });
    await renderApp(
      <View>
        <OfflineBanner />
      </View>,
    );
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    act(() => setNetwork(false));
    expect(screen.getByText(/You’re offline/)).toBeTruthy();
    act(() => setNetwork(true));
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });

  it('pauses queries while offline and resumes them when back online', async () => {
    const fake = installFakeApi().on('GET', '/v1/puppies', { body: page([puppy(7)]) });
    act(() => setNetwork(false));
    await renderApp(
      <View style={{ flex: 1 }}>
        <OfflineBanner />
        <BrowseScreen />
      </View>,
    );
    expect(screen.getByTestId('offline-banner')).toBeTruthy();
    expect(screen.getByTestId('skeleton')).toBeTruthy();
    expect(fake.count('GET', '/v1/puppies')).toBe(0);
    act(() => setNetwork(true));
    expect(await screen.findByText('Puppy 7')).toBeTruthy();
  });

  it('says the API cannot be reached after a network failure, and recovers when it answers', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/puppies', 'network-error');
    fake.on('GET', '/healthz', 'network-error');
    await renderApp(
      <View style={{ flex: 1 }}>
        <OfflineBanner />
        <BrowseScreen />
      </View>,
    );
    expect(await screen.findByText(/Can’t reach Kennel right now/)).toBeTruthy();
    fake.on('GET', '/healthz', { body: { status: 'ok' } });
    fake.on('GET', '/v1/puppies', { body: page([puppy(8)]) });
    expect(await screen.findByText('Puppy 8', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });
});
