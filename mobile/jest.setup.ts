/* Test setup: stubs for native modules that have no JavaScript implementation in Jest. */
import { notifyManager } from '@tanstack/react-query';
import { act, configure } from '@testing-library/react-native';

// Error tracking never runs in tests.
jest.mock('@sentry/react-native', () => ({
  init: jest.fn(),
  captureException: jest.fn(),
  setUser: jest.fn(),
  wrap: (component: unknown) => component,
}));

// The device's secure store, kept in memory.
jest.mock('expo-secure-store', () => {
  const store = new Map<string, string>();
  return {
    getItemAsync: jest.fn(async (key: string) => store.get(key) ?? null),
    setItemAsync: jest.fn(async (key: string, value: string) => void store.set(key, value)),
    deleteItemAsync: jest.fn(async (key: string) => void store.delete(key)),
    __store: store,
  };
});

// UUIDs (device id, a reply's Idempotency-Key) from Node's generator: jest-expo's stub returns nothing.
jest.mock('expo-crypto', () => ({
  ...jest.requireActual('expo-crypto'),
  randomUUID: () => jest.requireActual<typeof import('node:crypto')>('node:crypto').randomUUID(),
}));

// NetInfo with a switch tests can flip: globalThis.__setNetwork(false).
jest.mock('@react-native-community/netinfo', () => {
  const listeners = new Set<(mockState: { isConnected: boolean }) => void>();
  let connected = true;
  const api = {
    addEventListener: (listener: (mockState: { isConnected: boolean }) => void) => {
      listeners.add(listener);
      listener({ isConnected: connected });
      return () => listeners.delete(listener);
    },
    fetch: async () => ({ isConnected: connected }),
  };
  (globalThis as Record<string, unknown>).__setNetwork = (value: boolean) => {
    connected = value;
    listeners.forEach((l) => l({ isConnected: value }));
  };
  return { __esModule: true, default: api, ...api };
});

// findBy… waits up to 5 s: on a busy two-core machine a screen can take longer than
// the default second to settle. Tests still fail at once on a wrong assertion.
configure({ asyncUtilTimeout: 5000 });

// React Query batches updates on a timer; flush them inside act().
notifyManager.setNotifyFunction((fn) => act(fn));

// Values are formatted for one known locale, whatever the machine's: miles and dollars.
// eslint-disable-next-line import/first
import { setLocale } from '@/format';
setLocale('en-US');
