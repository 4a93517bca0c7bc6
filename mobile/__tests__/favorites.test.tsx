import { fireEvent, screen } from '@testing-library/react-native';

import { FavoritesScreen } from '@/features/favorites/FavoritesScreen';

import { ME, page, puppy } from './helpers/fixtures';
import { installFakeApi, problem } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

describe('Favourites', () => {
  it('asks to sign in when signed out', async () => {
    installFakeApi();
    await renderApp(<FavoritesScreen />);
    expect(screen.getByText('Save puppies you love')).toBeTruthy();
  });

  it('shows a skeleton, then the saved puppies', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: ME });
    let release!: () => void;
    fake.on('GET', '/v1/me/favorites', () => new Promise((r) => (release = () => r({ body: page([puppy(4, { status: 'pending' })]) }))));
    await renderApp(<FavoritesScreen />, { token: 't' });
    expect(screen.getByTestId('skeleton')).toBeTruthy();
    release();
    expect(await screen.findByText('Puppy 4')).toBeTruthy();
    expect(screen.getByText('Pending · $150')).toBeTruthy();
  });

  it('shows an empty state', async () => {
    installFakeApi().on('GET', '/v1/me/favorites', { body: page([]) });
    await renderApp(<FavoritesScreen />, { token: 't' });
    expect(await screen.findByText('No favourites yet')).toBeTruthy();
  });

  it('shows an error with retry', async () => {
    const fake = installFakeApi().on('GET', '/v1/me/favorites', { status: 403, body: problem(403, 'forbidden', 'Forbidden') });
    await renderApp(<FavoritesScreen />, { token: 't' });
    expect(await screen.findByText('Couldn’t load your favourites')).toBeTruthy();
    fake.on('GET', '/v1/me/favorites', { body: page([puppy(9)]) });
    fireEvent.press(screen.getByLabelText('Retry loading'));
    expect(await screen.findByText('Puppy 9')).toBeTruthy();
  });
});
