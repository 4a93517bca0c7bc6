import { fireEvent, screen, waitFor } from '@testing-library/react-native';

import { BrowseScreen } from '@/features/browse/BrowseScreen';

import { BREEDS, page, puppy } from './helpers/fixtures';
import { installFakeApi, problem } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

describe('Browse', () => {
  it('shows a skeleton while loading, then the puppies', async () => {
    const api = installFakeApi();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    api.on('GET', '/v1/puppies', async () => {
      await gate;
      return { body: page([puppy(1, { distance_km: 12.4 }), puppy(2)]) };
    });
    await renderApp(<BrowseScreen />);
    expect(screen.getByTestId('skeleton')).toBeTruthy();
    release();
    expect(await screen.findByText('Puppy 1')).toBeTruthy();
    expect(screen.getAllByTestId('puppy-card')).toHaveLength(2);
    // 12.4 km, for a US locale
    expect(screen.getByText('8 mi away · $150')).toBeTruthy();
    // Thumbnails use the smallest (320) variant and carry alt text.
    expect(screen.getByLabelText('Puppy 1, Beagle')).toBeTruthy();
  });

  it('shows an error with a retry button that loads again', async () => {
    const api = installFakeApi();
    api.on('GET', '/v1/puppies', { status: 400, body: problem(400, 'validation_failed', 'Invalid') });
    await renderApp(<BrowseScreen />);
    expect(await screen.findByTestId('error-state')).toBeTruthy();
    api.on('GET', '/v1/puppies', { body: page([puppy(3)]) });
    fireEvent.press(screen.getByLabelText('Retry loading'));
    expect(await screen.findByText('Puppy 3')).toBeTruthy();
  });

  it('shows an empty state when nothing matches', async () => {
    installFakeApi().on('GET', '/v1/puppies', { body: page([]) });
    await renderApp(<BrowseScreen />);
    expect(await screen.findByText('No puppies match')).toBeTruthy();
  });

  it('loads the next page from the cursor at the end of the list', async () => {
    const api = installFakeApi();
    api.on('GET', '/v1/puppies', (_req, url) =>
      url.searchParams.get('cursor') === 'c2' ? { body: page([puppy(21)]) } : { body: page(Array.from({ length: 20 }, (_, i) => puppy(i + 1)), 'c2') },
    );
    await renderApp(<BrowseScreen />);
    await screen.findByText('Puppy 1');
    fireEvent(screen.getByTestId('puppy-list'), 'onEndReached');
    await waitFor(() => expect(api.calls.some((c) => c.url.searchParams.get('cursor') === 'c2')).toBe(true));
  });

  it('sends the chosen filters and a typed city to the API', async () => {
    const api = installFakeApi();
    api.on('GET', '/v1/puppies', { body: page([puppy(1)]) });
    api.on('GET', '/v1/breeds', { body: BREEDS });
    await renderApp(<BrowseScreen />);
    await screen.findByText('Puppy 1');
    fireEvent.press(screen.getByTestId('filters-button'));
    fireEvent.press(screen.getByLabelText('Size small'));
    fireEvent.press(screen.getByLabelText('Good with kids'));
    fireEvent.changeText(screen.getByLabelText('Find a breed'), 'bea');
    fireEvent.press(await screen.findByLabelText('Breed Beagle'));
    fireEvent.changeText(screen.getByLabelText('Or a city'), 'portl');
    fireEvent.press(screen.getByLabelText('City Portland, OR'));
    fireEvent.press(screen.getByLabelText('Within 100 mi'));
    fireEvent.press(screen.getByLabelText('Apply filters'));
    await waitFor(() => {
      const last = api.calls.filter((c) => c.path === '/v1/puppies').at(-1)!.url.searchParams;
      expect(last.getAll('size')).toEqual(['small']);
      expect(last.getAll('good_with')).toEqual(['kids']);
      expect(last.getAll('breed')).toEqual(['beagle']);
      expect(last.get('near')).toBe('45.5152,-122.6784');
      expect(last.get('radius_km')).toBe('160.934');
      expect(last.get('sort')).toBe('distance');
    });
    expect(screen.getByLabelText('Filters, 4 active')).toBeTruthy();
  });

  it('offers every filter and sort the API has; distance sorts only with a place', async () => {
    const api = installFakeApi();
    api.on('GET', '/v1/puppies', { body: page([puppy(1)]) });
    api.on('GET', '/v1/breeds', { body: BREEDS });
    await renderApp(<BrowseScreen />);
    await screen.findByText('Puppy 1');
    fireEvent.press(screen.getByTestId('filters-button'));
    for (const name of ['Breed', 'Size', 'Sex', 'Age', 'Coat', 'Good with', 'Status', 'Distance', 'Sort by']) {
      expect(screen.getByRole('header', { name })).toBeTruthy();
    }
    // Without a place: newest first by default, no distance sorts.
    expect(screen.getByRole('radio', { name: 'Sort newest first' })).toBeChecked();
    for (const name of ['Sort oldest first', 'Sort lowest fee first', 'Sort highest fee first']) expect(screen.getByRole('radio', { name })).toBeTruthy();
    expect(screen.queryByRole('radio', { name: 'Sort nearest first' })).toBeNull();
    fireEvent.press(screen.getByRole('checkbox', { name: 'Coat curly' }));
    fireEvent.press(screen.getByRole('checkbox', { name: 'Status pending' }));
    fireEvent.press(screen.getByRole('checkbox', { name: 'Age young' }));
    fireEvent.press(screen.getByRole('checkbox', { name: 'Sex male' }));
    fireEvent.press(screen.getByRole('radio', { name: 'Sort highest fee first' }));
    fireEvent.press(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => {
      const last = api.calls.filter((c) => c.path === '/v1/puppies').at(-1)!.url.searchParams;
      expect(last.getAll('coat')).toEqual(['curly']);
      expect(last.getAll('status')).toEqual(['pending']);
      expect(last.getAll('age')).toEqual(['young']);
      expect(last.getAll('sex')).toEqual(['male']);
      expect(last.get('sort')).toBe('-fee');
      expect(last.get('near')).toBeNull();
    });

    // With a place: nearest first by default, and the person may choose another order.
    fireEvent.press(screen.getByTestId('filters-button'));
    fireEvent.press(screen.getByRole('button', { name: 'Reset filters' }));
    fireEvent.changeText(screen.getByLabelText('Or a city'), 'denv');
    fireEvent.press(screen.getByRole('radio', { name: 'City Denver, CO' }));
    expect(screen.getByRole('radio', { name: 'Sort nearest first' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Within 50 mi' })).toBeChecked();
    fireEvent.press(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => {
      const last = api.calls.filter((c) => c.path === '/v1/puppies').at(-1)!.url.searchParams;
      expect(last.get('sort')).toBe('distance');
      expect(last.get('radius_km')).toBe('80.467');
    });
    fireEvent.press(screen.getByTestId('filters-button'));
    fireEvent.press(screen.getByRole('radio', { name: 'Sort farthest first' }));
    fireEvent.press(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/v1/puppies').at(-1)!.url.searchParams.get('sort')).toBe('-distance'));
    fireEvent.press(screen.getByTestId('filters-button'));
    fireEvent.press(screen.getByRole('radio', { name: 'Sort lowest fee first' }));
    fireEvent.press(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => {
      const last = api.calls.filter((c) => c.path === '/v1/puppies').at(-1)!.url.searchParams;
      expect(last.get('sort')).toBe('fee');
      expect(last.get('near')).toBe('39.7392,-104.9903');
    });
    // Clearing the place while a distance sort is chosen falls back to newest.
    fireEvent.press(screen.getByTestId('filters-button'));
    fireEvent.press(screen.getByRole('radio', { name: 'Sort nearest first' }));
    fireEvent.press(screen.getByRole('button', { name: 'Clear location' }));
    expect(screen.queryByRole('radio', { name: 'Sort nearest first' })).toBeNull();
    expect(screen.getByRole('radio', { name: 'Sort newest first' })).toBeChecked();
  });
});
