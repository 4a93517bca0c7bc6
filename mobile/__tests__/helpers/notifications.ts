import Constants from 'expo-constants';
import * as Device from 'expo-device';
import * as Notifications from 'expo-notifications';
import * as SecureStore from 'expo-secure-store';

/** The stand-in for expo-notifications that jest.setup.ts installs, and what it answers. */
type Tap = { notification: { request: { identifier: string; content: { title: string | null; body: string | null; data: Record<string, unknown> } } }; actionIdentifier: string };
type FakeNotifications = {
  state: {
    status: 'granted' | 'denied' | 'undetermined';
    canAskAgain: boolean;
    answer: 'granted' | 'denied';
    token: string;
    launchedBy: Tap | null;
  };
  tap: (response: Tap) => void;
  reset: () => void;
};

export const notifications = (Notifications as unknown as { __notifications: FakeNotifications }).__notifications;
export const PUSH_TOKEN = 'ExponentPushToken[test-device-token]';
export const PROJECT_ID = '5f0a3c1e-0000-4000-8000-00000000e45e';

const device = Device as unknown as { isDevice: boolean };
const easConfig = Constants.easConfig as Record<string, unknown>;
const secureStore = (SecureStore as unknown as { __store: Map<string, string> }).__store;

/** A physical phone, in a build with an EAS project: push notifications can arrive. */
export function onPhone({ projectId = PROJECT_ID as string | null } = {}) {
  device.isDevice = true;
  if (projectId) easConfig.projectId = projectId;
  else delete easConfig.projectId;
}

/** What a tap on an alert about new matches of a saved search hands the app. */
export function newMatchesTap(savedSearchId: string, identifier = 'notification-1'): Tap {
  return {
    actionIdentifier: Notifications.DEFAULT_ACTION_IDENTIFIER,
    notification: {
      request: {
        identifier,
        content: { title: '2 new puppies match “Search 1”', body: 'Puppy 1, Puppy 2', data: { type: 'new_matches', saved_search_id: savedSearchId } },
      },
    },
  };
}

/** Call from afterEach: a simulator again, nothing asked, nothing kept on the device. */
export function resetNotifications() {
  notifications.reset();
  device.isDevice = false;
  delete easConfig.projectId;
  secureStore.clear();
  jest.clearAllMocks();
}
