/**
 * A screen that throws while rendering: the shared fallback (expo-router's
 * `ErrorBoundary` export), one report to error tracking, and the ways on from it.
 */
import * as Sentry from '@sentry/react-native';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Text } from 'react-native';
import { Slot } from 'expo-router';
import { fireEvent, renderRouter, screen, waitFor } from 'expo-router/testing-library';

import { ScreenError } from '@/components/ScreenError';
import { captureRenderError } from '@/monitoring/sentry';

const capture = Sentry.captureException as jest.Mock;

// What the error says must reach error tracking (scrubbed there), never the screen.
const MESSAGE = 'Cannot read properties of undefined (reading "name") for ada@example.org';
let broken = true;

function Flaky() {
  if (broken) throw new Error(MESSAGE);
  return <Text>Puppy details</Text>;
}

function Browse() {
  return <Text>Browse list</Text>;
}

const routes = () => ({ index: Browse, 'puppy/[id]': { default: Flaky, ErrorBoundary: ScreenError } });

beforeEach(() => {
  broken = true;
  capture.mockClear();
  // React logs every error a boundary catches; these tests read what the person sees.
  jest.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => jest.restoreAllMocks());

describe('A screen that throws', () => {
  it('shows the fallback and reports the error once, without showing it', async () => {
    renderRouter(routes(), { initialUrl: '/puppy/1' });
    expect(await screen.findByRole('header', { name: 'Something went wrong' })).toBeTruthy();
    expect(screen.getByRole('alert').props.children).toMatch(/^This screen stopped working/);
    expect(screen.queryByText(/ada@example\.org|Cannot read|\.tsx?:\d+/)).toBeNull();

    await waitFor(() => expect(capture).toHaveBeenCalled());
    expect(capture).toHaveBeenCalledTimes(1);
    const [reported, hint] = capture.mock.calls[0]!;
    expect(reported).toBeInstanceOf(Error);
    expect((reported as Error).message).toBe(MESSAGE);
    // Nothing personal is attached on the way (the SDK's beforeSend scrubs the rest).
    expect(hint).toBeUndefined();
  });

  it('a fallback rendered again for the same error sends nothing more', () => {
    const error = new Error(MESSAGE);
    captureRenderError(error);
    captureRenderError(error);
    expect(capture).toHaveBeenCalledTimes(1);
  });

  it('“Try again” renders the screen again once it no longer throws', async () => {
    renderRouter(routes(), { initialUrl: '/puppy/1' });
    fireEvent.press(await screen.findByRole('button', { name: 'Try again' }));
    // Still broken: the fallback stays, and the new failure is a new report.
    expect(await screen.findByRole('header', { name: 'Something went wrong' })).toBeTruthy();
    await waitFor(() => expect(capture).toHaveBeenCalledTimes(2));

    broken = false;
    fireEvent.press(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Puppy details')).toBeTruthy();
    expect(screen.queryByText('Something went wrong')).toBeNull();
    expect(capture).toHaveBeenCalledTimes(2);
  });

  it('“Browse puppies” leads back to Browse', async () => {
    const app = renderRouter(routes(), { initialUrl: '/puppy/1' });
    fireEvent.press(await screen.findByRole('button', { name: 'Go to Browse puppies' }));
    await waitFor(() => expect(app.getPathname()).toBe('/'));
    expect(await screen.findByText('Browse list')).toBeTruthy();
  });

  it('on Browse itself, trying again is the way back', async () => {
    renderRouter({ index: { default: Flaky, ErrorBoundary: ScreenError } }, { initialUrl: '/' });
    expect(await screen.findByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Go to Browse puppies' })).toBeNull();
    broken = false;
    fireEvent.press(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Puppy details')).toBeTruthy();
  });

  it('the root layout’s boundary catches what fails around the screens', async () => {
    function Layout() {
      if (broken) throw new Error(MESSAGE);
      return <Slot />;
    }
    const app = renderRouter({ _layout: { default: Layout, ErrorBoundary: ScreenError }, index: Browse, about: () => <Text>About</Text> }, { initialUrl: '/about' });
    expect(await screen.findByRole('header', { name: 'Something went wrong' })).toBeTruthy();
    await waitFor(() => expect(capture).toHaveBeenCalledTimes(1));
    broken = false;
    fireEvent.press(screen.getByRole('button', { name: 'Go to Browse puppies' }));
    expect(await screen.findByText('Browse list')).toBeTruthy();
    expect(app.getPathname()).toBe('/');
  });
});

describe('Every screen of app/', () => {
  const appDir = join(__dirname, '..', 'app');
  const routeFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? routeFiles(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
    );

  it('exports the shared fallback as its ErrorBoundary (layouts other than the root leave it to the screens)', () => {
    const files = routeFiles(appDir).filter((file) => !/_layout\.tsx$/.test(file) || relative(appDir, file) === '_layout.tsx');
    expect(files.length).toBeGreaterThan(5);
    const missing = files.filter((file) => jest.requireActual<{ ErrorBoundary?: unknown }>(file).ErrorBoundary !== ScreenError).map((file) => relative(appDir, file));
    expect(missing).toEqual([]);
  });
});
