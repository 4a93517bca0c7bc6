/**
 * Accessibility of the main screens, as assistive technology sees them: every
 * control has a role and a name, every image has alternative text, text can grow
 * with the system font size, and the colours follow the system's dark mode.
 */
import { fireEvent, screen, waitFor, type RenderResult } from '@testing-library/react-native';
import { renderRouter } from 'expo-router/testing-library';
import { StyleSheet } from 'react-native';

import { ScreenError } from '@/components/ScreenError';

import { AccountScreen } from '@/features/account/AccountScreen';
import { ForgotPasswordScreen } from '@/features/account/ForgotPasswordScreen';
import { ResetPasswordScreen } from '@/features/account/ResetPasswordScreen';
import { BrowseScreen } from '@/features/browse/BrowseScreen';
import { EMPTY_FILTERS } from '@/features/browse/filters';
import { FavoritesScreen } from '@/features/favorites/FavoritesScreen';
import { MessagesScreen } from '@/features/inquiries/MessagesScreen';
import { ThreadScreen } from '@/features/inquiries/ThreadScreen';
import { PuppyDetailScreen } from '@/features/puppy/PuppyDetailScreen';
import { SavedSearchesScreen } from '@/features/searches/SavedSearchesScreen';
import { InquiriesScreen } from '@/features/staff/InquiriesScreen';
import { EditPuppyScreen } from '@/features/staff/PuppyFormScreen';
import { StaffScreen } from '@/features/staff/StaffScreen';

import { answered, BREEDS, config, detail, inquiry, inquiryPage, ME, ORG, page, puppy, savedSearch, STAFF } from './helpers/fixtures';
import { installFakeApi, type FakeApi } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

/** The rendered tree, as much of it as these checks read. */
type ReactTestInstance = {
  type: unknown;
  props: Record<string, any>;
  parent: ReactTestInstance | null;
  findAll(predicate: (node: ReactTestInstance) => boolean): ReactTestInstance[];
};
const rootOf = (utils: { UNSAFE_root: unknown }) => utils.UNSAFE_root as ReactTestInstance;

let mockScheme: 'light' | 'dark' = 'light';
jest.mock('react-native/Libraries/Utilities/useColorScheme', () => ({ __esModule: true, default: () => mockScheme }));

afterEach(() => {
  mockScheme = 'light';
  resetApp();
});

const ROLES = new Set(['button', 'link', 'checkbox', 'radio', 'tab', 'switch', 'search', 'adjustable', 'togglebutton', 'menuitem']);

const hosts = (root: ReactTestInstance) => root.findAll((n) => typeof n.type === 'string');

/** Every host element a person can press, type into or look at. */
function audit(): string[] {
  const problems: string[] = [];
  for (const node of hosts(rootOf(screen))) {
    const p = node.props;
    const name = typeof p.accessibilityLabel === 'string' ? p.accessibilityLabel.trim() : '';
    const role = p.accessibilityRole ?? p.role;
    const where = p.testID ?? name ?? node.type;
    if (typeof p.onClick === 'function' || typeof p.onResponderRelease === 'function') {
      if (!ROLES.has(role)) problems.push(`control "${where}" has role ${String(role)}`);
      if (!name) problems.push(`control with role ${String(role)} has no accessibility label`);
    }
    if (node.type === 'TextInput' && !name) problems.push(`text field "${where}" has no label`);
    if (/Image/.test(String(node.type)) && !name) problems.push(`image "${where}" has no alternative text`);
    if (node.type === 'Text' && p.allowFontScaling === false) problems.push(`text "${where}" does not scale`);
  }
  return problems;
}

/** Text inside a box of fixed height is cut off when the system font is large. */
function clippedText(): string[] {
  const problems: string[] = [];
  for (const text of rootOf(screen).findAll((n) => n.type === 'Text')) {
    for (let node: ReactTestInstance | null = text.parent; node; node = node.parent) {
      if (typeof node.type !== 'string') continue;
      const style = StyleSheet.flatten(node.props.style) ?? {};
      if (typeof style.height === 'number') problems.push(`text in a box ${style.height} high: ${JSON.stringify(text.props.children).slice(0, 60)}`);
    }
  }
  return problems;
}

function expectAccessible() {
  expect(audit()).toEqual([]);
  expect(clippedText()).toEqual([]);
}

function backgroundOf(utils: RenderResult) {
  const first = hosts(rootOf(utils)).find((n) => StyleSheet.flatten(n.props.style)?.backgroundColor);
  return StyleSheet.flatten(first!.props.style).backgroundColor;
}

function signedInApi(user = ME): FakeApi {
  const fake = installFakeApi();
  fake.on('GET', '/v1/me', { body: user });
  fake.on('GET', '/v1/me/favorites', { body: page([puppy(1, { distance_km: 3 }), puppy(2, { photo: null, status: 'pending' })]) });
  fake.on('GET', '/v1/me/inquiries', { body: inquiryPage([answered(2, { unread_count: 2 }), inquiry(1)]) });
  fake.on('GET', '/v1/me/unread', { body: { threads: 1, messages: 2 } });
  fake.on('GET', /^\/v1\/inquiries\/[^/]+$/, { body: answered(2), headers: { ETag: 'W/"2-aaaa"' } });
  fake.on('POST', /^\/v1\/inquiries\/[^/]+\/read$/, { status: 204 });
  fake.on('GET', '/v1/puppies', { body: page([puppy(1, { distance_km: 3 }), puppy(2, { photo: null, status: 'adopted' })]) });
  fake.on('GET', '/v1/breeds', { body: BREEDS });
  fake.on('GET', /^\/v1\/puppies\/[^/]+$/, { body: detail(1) });
  fake.on('GET', '/v1/config', { body: config({ assistant: true, inquiries: true }) });
  fake.on('GET', '/v1/me/saved-searches', { body: { items: [savedSearch(1, { paused: true }), savedSearch(2, { query: 'q=calm' })] } });
  return fake;
}

describe('Accessibility', () => {
  it('Browse: search, filters and puppy cards are named controls', async () => {
    signedInApi();
    await renderApp(<BrowseScreen />);
    expect(await screen.findByRole('button', { name: /^Puppy 1, Beagle, 5 months, Female, 2 mi away/ })).toBeTruthy();
    expect(screen.getByLabelText('Search puppies')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Filters' })).toBeTruthy();
    expect(screen.getByLabelText('Puppy 1, Beagle')).toBeTruthy();
    expect(screen.getByRole('image', { name: 'No photo of Puppy 2 yet' })).toBeTruthy();
    expectAccessible();
  });

  it('Filters: every choice is a checkbox or radio button with a name', async () => {
    signedInApi();
    await renderApp(<BrowseScreen />);
    fireEvent.press(await screen.findByRole('button', { name: 'Filters' }));
    expect(screen.getByRole('checkbox', { name: 'Size small' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'Coat long' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'Status adopted' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Sort newest first' })).toBeChecked();
    expect(screen.getByRole('button', { name: 'Use my location' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Apply filters' })).toBeTruthy();
    expectAccessible();
  });

  it('Puppy: photos have alternative text, facts are read as one, actions are named', async () => {
    signedInApi();
    await renderApp(<PuppyDetailScreen id={detail(1).id} />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Puppy 1' })).toBeTruthy();
    expect(screen.getByLabelText('Puppy 1, Beagle (photo 1 of 2)')).toBeTruthy();
    expect(screen.getByLabelText('Adoption fee: $150')).toBeTruthy();
    // Saved already (it is in the favourites).
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remove Puppy 1 from favourites' })).toBeEnabled());
    expect(screen.getByRole('header', { name: 'Contact shelter' })).toBeTruthy();
    expect(screen.getByLabelText('Message about Puppy 1')).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Reply by email' })).toBeChecked();
    expect(screen.getByRole('button', { name: 'Send message to the shelter' })).toBeTruthy();
    expect(screen.getByLabelText('Your question')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ask the assistant' })).toBeTruthy();
    expectAccessible();
  });

  it('Sign in: fields are labelled, the form choice is a radio button, errors are alerts', async () => {
    installFakeApi();
    await renderApp(<AccountScreen />);
    expect(screen.getByRole('radio', { name: 'I have an account' })).toBeChecked();
    expect(screen.getByLabelText('Email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getAllByRole('alert').length).toBeGreaterThan(0);
    expectAccessible();
  });

  it('Account: the summary is read as label and value', async () => {
    signedInApi();
    await renderApp(<AccountScreen />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Ada' })).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Favourites: 2' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Delete account' })).toBeTruthy();
    expectAccessible();
  });

  it('Account email: the forms are labelled, the notice is a header with a named button', async () => {
    signedInApi({ ...ME, email_verified: false });
    const account = await renderApp(<AccountScreen />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Confirm your email address' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send the link again' })).toBeTruthy();
    expectAccessible();
    account.unmount();

    const forgot = await renderApp(<ForgotPasswordScreen />);
    expect(screen.getByRole('header', { name: 'Forgot your password?' })).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Send me a link' }));
    expect(screen.getByRole('alert')).toBeTruthy();
    expectAccessible();
    forgot.unmount();

    await renderApp(<ResetPasswordScreen token="t" />);
    expect(screen.getByLabelText('New password')).toBeTruthy();
    expect(screen.getByLabelText('Confirm new password')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Set new password' })).toBeTruthy();
    expectAccessible();
  });

  it('Favourites and Staff lists are named controls', async () => {
    signedInApi();
    const favourites = await renderApp(<FavoritesScreen />, { token: 't' });
    expect(await screen.findByRole('button', { name: /^Puppy 2, Beagle, .*Pending/ })).toBeTruthy();
    expectAccessible();
    favourites.unmount();

    signedInApi(STAFF);
    await renderApp(<StaffScreen />, { token: 't' });
    expect(await screen.findByRole('button', { name: 'Add a new puppy' })).toBeTruthy();
    // The unread count arrives with its own request, possibly after the rest.
    expect(await screen.findByRole('button', { name: 'Open the inquiries inbox, 2 unread' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: /^Puppy 2, Beagle, .*Adopted/ })).toBeTruthy();
    expectAccessible();
  });

  it('Staff: the puppy editor and the inbox are named controls and labelled fields', async () => {
    const fake = signedInApi(STAFF);
    fake.on('GET', '/v1/config', { body: config({ photo_uploads: true }) });
    const editor = await renderApp(<EditPuppyScreen id={detail(1).id} />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Puppy 1' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Mark Puppy 1 as pending' })).toBeTruthy();
    expect(await screen.findByLabelText('Puppy 1, photo 1')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove photo 1' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Sex female' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Good with kids: Yes' })).toBeChecked();
    expect(screen.getByRole('switch', { name: 'Vaccinated' })).toBeTruthy();
    expect(screen.getByLabelText('Adoption fee')).toBeTruthy();
    expectAccessible();
    editor.unmount();

    fake.on('GET', `/v1/organizations/${ORG.id}/inquiries`, { body: inquiryPage([answered(1, { unread_count: 0, assignee: { id: STAFF.id, display_name: 'Sam' } })]) });
    await renderApp(<InquiriesScreen />, { token: 't' });
    expect(
      await screen.findByRole('button', { name: 'Puppy 1 with Ada, Answered, Jun 2, 2025, Reply: In the app, Assigned to Sam. Staff: Yes, come and meet her!' }),
    ).toBeTruthy();
    expect(screen.getByText('Answered · Jun 2, 2025 · Reply: In the app · Assigned to Sam')).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Show all inquiries' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Show open inquiries' })).toBeTruthy();
    expectAccessible();
  });

  it('Messages: each conversation is one named button with its unread count; signed out, a named way to sign in', async () => {
    signedInApi();
    const inbox = await renderApp(<MessagesScreen />, { token: 't' });
    expect(
      await screen.findByRole('button', { name: 'Puppy 2 with Rose City Rescue, Answered, 2 unread, Jun 3, 2025. Rose City Rescue: Yes, come and meet her!' }),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Puppy 1 with Rose City Rescue, Open, Jun 1, 2025. You: Is she still available?' }).props.accessibilityHint).toBe(
      'Opens the conversation',
    );
    expectAccessible();
    inbox.unmount();

    installFakeApi();
    await renderApp(<MessagesScreen />);
    expect(screen.getByRole('header', { name: 'Your conversations with shelters' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expectAccessible();
  });

  it('Conversation: each message is read as one, the reply field is labelled, staff actions are named, dark mode followed', async () => {
    signedInApi();
    const adopter = await renderApp(<ThreadScreen id={answered(2).id} />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Puppy 2' })).toBeTruthy();
    expect(screen.getByLabelText(/^Rose City Rescue, Jun 3, 2025, 12:30 PM: Yes, come and meet her!$/)).toBeTruthy();
    expect(screen.getByLabelText('Your reply')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send reply' })).toBeTruthy();
    expectAccessible();
    adopter.unmount();

    mockScheme = 'dark';
    signedInApi(STAFF);
    await renderApp(<ThreadScreen id={answered(2).id} />, { token: 't' });
    expect(await screen.findByRole('button', { name: 'Close this conversation' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Assign this conversation to me' })).toBeTruthy();
    expect(screen.getByLabelText(/^Ada, Jun 2, 2025, 12:00 PM: Is she still available\?$/)).toBeTruthy();
    expect(StyleSheet.flatten(screen.getByTestId('thread').props.style).backgroundColor).toBe('#151311');
    expectAccessible();
  });

  it('Saved searches: saving is a labelled field with named buttons; each search’s actions are named; dark mode followed', async () => {
    signedInApi();
    const browse = await renderApp(<BrowseScreen initialFilters={{ ...EMPTY_FILTERS, sizes: ['small'] }} />, { token: 't' });
    await screen.findByText('Puppy 1');
    fireEvent.press(screen.getByRole('button', { name: 'Save search' }));
    expect(screen.getByLabelText('Name of this search')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel saving this search' })).toBeTruthy();
    expectAccessible();
    browse.unmount();

    mockScheme = 'dark';
    signedInApi();
    await renderApp(<SavedSearchesScreen />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Search 1' })).toBeTruthy();
    expect(screen.getByText('Paused')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open Search 1' }).props.accessibilityHint).toBe('Shows its puppies on Browse');
    expect(screen.getByRole('button', { name: 'Resume Search 1' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pause Search 2' })).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Rename Search 1' }));
    expect(screen.getByLabelText('New name')).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Delete Search 2' }));
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Yes, delete Search 2' })).toBeTruthy();
    expect(StyleSheet.flatten(screen.getAllByTestId('saved-search')[0]!.props.style).backgroundColor).toBe('#221f1c');
    expectAccessible();
  });

  it('follows the system’s dark mode', async () => {
    signedInApi();
    const light = await renderApp(<BrowseScreen />);
    await screen.findByText('Puppy 1');
    const lightBackground = backgroundOf(light);
    light.unmount();

    mockScheme = 'dark';
    signedInApi();
    const dark = await renderApp(<BrowseScreen />);
    await screen.findByText('Puppy 1');
    expect(backgroundOf(dark)).not.toBe(lightBackground);
    expect(backgroundOf(dark)).toBe('#151311');
    expectAccessible();
  });

  it('Something went wrong: a header, the message as an alert, named buttons, dark mode followed', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    const Broken = (): never => {
      throw new Error('broken');
    };
    mockScheme = 'dark';
    const fallback = renderRouter({ index: () => null, broken: { default: Broken, ErrorBoundary: ScreenError } }, { initialUrl: '/broken' });
    expect(await screen.findByRole('header', { name: 'Something went wrong' })).toBeTruthy();
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' }).props.accessibilityHint).toBe('Shows this screen again');
    expect(screen.getByRole('button', { name: 'Go to Browse puppies' })).toBeTruthy();
    expect(StyleSheet.flatten(screen.getByTestId('screen-error').props.style).backgroundColor).toBe('#151311');
    expectAccessible();
    fallback.unmount();
    jest.restoreAllMocks();
  });
});
