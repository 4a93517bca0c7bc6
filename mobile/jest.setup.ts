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

// Notifications, at the module's boundary: permission not asked yet, no token, nothing
// tapped. Tests change these through `__notifications` (see
// __tests__/helpers/notifications.ts): the permission the system would give, the token,
// and a tap on a notification (`tap`, or `launchedBy` for the one that opened the app).
jest.mock('expo-notifications', () => {
  type MockTap = { notification: { request: { identifier: string; content: { title: string | null; body: string | null; data: Record<string, unknown> } } }; actionIdentifier: string };
  const listeners = new Set<(mockResponse: MockTap) => void>();
  const state = {
    status: 'undetermined' as 'granted' | 'denied' | 'undetermined',
    canAskAgain: true,
    /** What the system dialog answers when asked. */
    answer: 'granted' as 'granted' | 'denied',
    token: 'ExponentPushToken[test-device-token]',
    launchedBy: null as MockTap | null,
  };
  const permission = () => ({ status: state.status, granted: state.status === 'granted', canAskAgain: state.canAskAgain, expires: 'never' });
  const module = {
    AndroidImportance: { DEFAULT: 3, HIGH: 4 },
    DEFAULT_ACTION_IDENTIFIER: 'expo.modules.notifications.actions.DEFAULT',
    getPermissionsAsync: jest.fn(async () => permission()),
    requestPermissionsAsync: jest.fn(async () => {
      if (state.status === 'undetermined' || state.canAskAgain) state.status = state.answer;
      if (state.status === 'denied') state.canAskAgain = false;
      return permission();
    }),
    getExpoPushTokenAsync: jest.fn(async ({ projectId }: { projectId?: string } = {}) => {
      if (!projectId) throw new Error('No projectId');
      return { type: 'expo', data: state.token };
    }),
    setNotificationChannelAsync: jest.fn(async () => null),
    setNotificationHandler: jest.fn(),
    addNotificationResponseReceivedListener: jest.fn((listener: (mockResponse: MockTap) => void) => {
      listeners.add(listener);
      return { remove: () => listeners.delete(listener) };
    }),
    getLastNotificationResponseAsync: jest.fn(async () => state.launchedBy),
    clearLastNotificationResponseAsync: jest.fn(async () => {
      state.launchedBy = null;
    }),
    __notifications: {
      state,
      tap: (mockResponse: MockTap) => listeners.forEach((l) => l(mockResponse)),
      reset: () => {
        Object.assign(state, { status: 'undetermined', canAskAgain: true, answer: 'granted', token: 'ExponentPushToken[test-device-token]', launchedBy: null });
        listeners.clear();
      },
    },
  };
  return { __esModule: true, ...module };
});

// The device: a simulator unless a test says otherwise (`isDevice`, read when used).
jest.mock('expo-device', () => ({ __esModule: true, ...jest.requireActual('expo-device'), isDevice: false }));

// findBy… waits up to 5 s: on a busy two-core machine a screen can take longer than
// the default second to settle. Tests still fail at once on a wrong assertion.
configure({ asyncUtilTimeout: 5000 });

// React Query batches updates on a timer; flush them inside act().
notifyManager.setNotifyFunction((fn) => act(fn));

// Values are formatted for one known locale, whatever the machine's: miles and dollars.
// eslint-disable-next-line import/first
import { setLocale } from '@/format';
setLocale('en-US');
