/**
 * Conversations between adopters and shelters: the adopter's Messages inbox and a
 * thread (reading it, replying with an Idempotency-Key per draft, the staff's status
 * and assignee changes with If-Match), through the app's real client and a fake API.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react-native';

import { MAX_MESSAGE, messageLength, validateMessage } from '@/features/inquiries/message';
import { MessagesScreen } from '@/features/inquiries/MessagesScreen';
import { ThreadScreen } from '@/features/inquiries/ThreadScreen';
import { formatDateTime } from '@/format';

import { answered, inquiry, inquiryPage, ME, OTHER_SHELTER, STAFF } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi, type RecordedCall } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

const MINE = '/v1/me/inquiries';
const THREAD = answered(1);
const THREAD_PATH = `/v1/inquiries/${THREAD.id}`;
const REPLIES = `${THREAD_PATH}/replies`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** An organisation of its own (`/v1/organizations/{id}`), not its puppies or inbox. */
const ORGANIZATION_PATH = /^\/v1\/organizations\/[^/]+$/;

function api(user = ME): FakeApi {
  const fake = installFakeApi();
  fake.on('GET', '/v1/me', { body: user });
  return fake;
}

/** A thread that answers GET with its ETag, and marks read with 204. */
function withThread(fake: FakeApi, thread = THREAD, etag = 'W/"2-aaaa"') {
  fake.on('GET', THREAD_PATH, { body: thread, headers: { ETag: etag } });
  fake.on('POST', `${THREAD_PATH}/read`, { status: 204 });
  return fake;
}

/** The thread after the adopter's reply `message`, as the API answers the POST. */
function afterReply(message: string) {
  const at = '2025-06-03T12:00:00Z';
  return {
    ...THREAD,
    status: 'open',
    replies: [...THREAD.replies, { id: 'r-new', author_role: 'adopter', message, created_at: at }],
    last_message: { author_role: 'adopter', excerpt: message, at },
    unread_count: 0,
    version: 3,
  };
}

const posts = (fake: FakeApi, path: string): RecordedCall[] => fake.calls.filter((c) => c.method === 'POST' && c.path === path);
const replyField = () => screen.getByLabelText('Your reply');
const rowNames = () => screen.getAllByTestId('thread-row').map((row) => String(row.props.accessibilityLabel).split(' with ')[0]);

describe('Messages (the adopter’s inbox)', () => {
  it('asks to sign in when signed out, and asks the API nothing', async () => {
    const fake = installFakeApi();
    await renderApp(<MessagesScreen />);
    expect(screen.getByRole('header', { name: 'Your conversations with shelters' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(fake.count('GET', MINE)).toBe(0);
  });

  it('lists the conversations with their shelter, latest message, time, status and unread count, and pages on', async () => {
    const fake = api();
    let release!: () => void;
    const firstPage = new Promise<void>((r) => (release = r));
    fake.on('GET', MINE, async (_req, url) => {
      if (url.searchParams.get('cursor') === 'c2') return { body: inquiryPage([inquiry(1)]) };
      await firstPage;
      return { body: inquiryPage([answered(3, { unread_count: 2 }), inquiry(2, { organization: OTHER_SHELTER })], 'c2') };
    });
    await renderApp(<MessagesScreen />, { token: 't' });
    expect(await screen.findByTestId('skeleton')).toBeTruthy();
    release();
    const latest = await screen.findByRole('button', {
      name: 'Puppy 3 with Rose City Rescue, Answered, 2 unread, Jun 4, 2025. Rose City Rescue: Yes, come and meet her!',
    });
    expect(within(latest).getByTestId('thread-unread')).toHaveTextContent('2');
    expect(within(latest).getByText('Answered · Jun 4, 2025')).toBeTruthy();
    // Each row names the shelter its inquiry names.
    expect(screen.getByText('Puppy 2 · Willamette Valley Humane Society')).toBeTruthy();
    expect(screen.getByText('You: Is she still available?')).toBeTruthy();
    expect(rowNames()).toEqual(['Puppy 3', 'Puppy 2']);

    // The end of the list asks for the next page, after the first.
    fireEvent(screen.getByTestId('messages-list'), 'onEndReached');
    expect(await screen.findByText('Puppy 1 · Rose City Rescue')).toBeTruthy();
    expect(rowNames()).toEqual(['Puppy 3', 'Puppy 2', 'Puppy 1']);
    expect(fake.calls.filter((c) => c.path === MINE).map((c) => c.url.searchParams.get('cursor'))).toEqual([null, 'c2']);
    // The shelters' names come with the inquiries: one request per page, none per shelter.
    expect(fake.count('GET', ORGANIZATION_PATH)).toBe(0);
    expect(fake.calls.map((c) => c.path).filter((path) => path !== '/v1/me')).toEqual([MINE, MINE]);
  });

  it('shows an empty state, and an error with a retry that loads the list', async () => {
    const fake = api();
    fake.on('GET', MINE, { body: inquiryPage([]) });
    const empty = await renderApp(<MessagesScreen />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'No messages yet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Browse puppies' })).toBeTruthy();
    empty.unmount();

    fake.on('GET', MINE, { status: 403, body: problem(403, 'forbidden', 'Forbidden') });
    await renderApp(<MessagesScreen />, { token: 't' });
    expect(await screen.findByText('Couldn’t load your messages')).toBeTruthy();
    expect(screen.getByText('You do not have permission to do that.')).toBeTruthy();
    fake.on('GET', MINE, { body: inquiryPage([inquiry(2)]) });
    fireEvent.press(screen.getByRole('button', { name: 'Retry loading' }));
    expect(await screen.findByText('Puppy 2 · Rose City Rescue')).toBeTruthy();
  });
});

describe('A conversation', () => {
  it('shows the messages oldest first, who wrote each and when, and marks the thread read once', async () => {
    const fake = withThread(api());
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Puppy 1' })).toBeTruthy();
    // The shelter's name comes with the thread.
    expect(screen.getByText('with Rose City Rescue')).toBeTruthy();
    expect(fake.count('GET', ORGANIZATION_PATH)).toBe(0);
    expect(screen.getByText('Status: Answered')).toBeTruthy();
    expect(screen.getAllByTestId('thread-message').map((m) => m.props.accessibilityLabel)).toEqual([
      `You, ${formatDateTime(THREAD.created_at)}: Is she still available?`,
      `Rose City Rescue, ${formatDateTime(THREAD.replies[0]!.created_at)}: Yes, come and meet her!`,
    ]);
    expect(formatDateTime(THREAD.created_at)).toBe('Jun 1, 2025, 12:00 PM');
    await waitFor(() => expect(posts(fake, `${THREAD_PATH}/read`)).toHaveLength(1));
    // Adopters do not change the thread's status or assignee.
    expect(screen.queryByTestId('thread-staff-controls')).toBeNull();
  });

  it('refuses an empty or over-long reply before sending anything', async () => {
    const fake = withThread(api());
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    await screen.findByRole('header', { name: 'Puppy 1' });
    fireEvent.changeText(replyField(), '  \n ');
    fireEvent.press(screen.getByRole('button', { name: 'Send reply' }));
    expect(screen.getByText('Write your reply first.')).toBeTruthy();
    fireEvent.changeText(replyField(), 'x'.repeat(MAX_MESSAGE + 1));
    fireEvent.press(screen.getByRole('button', { name: 'Send reply' }));
    expect(screen.getByText('Keep the message to 2,000 characters (it has 2,001).')).toBeTruthy();
    expect(posts(fake, REPLIES)).toHaveLength(0);
  });

  it('sends a reply with an Idempotency-Key, shows it and clears the draft', async () => {
    const fake = withThread(api());
    fake.on('POST', REPLIES, (request) => request.json().then((body: { message: string }) => ({ status: 201, body: afterReply(body.message), headers: { ETag: 'W/"3-bbbb"' } })));
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    await screen.findByRole('header', { name: 'Puppy 1' });
    fireEvent.changeText(replyField(), '  Could we visit on Saturday?  ');
    expect(screen.getByText('27 / 2,000')).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByLabelText(`You, ${formatDateTime('2025-06-03T12:00:00Z')}: Could we visit on Saturday?`)).toBeTruthy();
    expect(replyField().props.value).toBe('');
    expect(screen.getByText('Status: Open')).toBeTruthy();
    const [sent] = posts(fake, REPLIES);
    expect(JSON.parse(sent!.body!)).toEqual({ message: 'Could we visit on Saturday?' });
    expect(sent!.headers.get('Idempotency-Key')).toMatch(UUID);
  });

  it('keeps the text when sending fails, and Retry sends it again with the same Idempotency-Key', async () => {
    const fake = withThread(api());
    let attempts = 0;
    fake.on('POST', REPLIES, (request) => {
      attempts += 1;
      // The first try never gets an answer (the connection dropped).
      if (attempts === 1) return 'network-error';
      return request.json().then((body: { message: string }) => ({ status: 201, body: afterReply(body.message), headers: { ETag: `W/"${attempts + 2}-cccc"` } }));
    });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    await screen.findByRole('header', { name: 'Puppy 1' });
    fireEvent.changeText(replyField(), 'We have a garden.');
    fireEvent.press(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('Not sent. Can’t reach Kennel. Check your connection and try again.')).toBeTruthy();
    expect(replyField().props.value).toBe('We have a garden.');

    fireEvent.press(screen.getByRole('button', { name: 'Retry sending your reply' }));
    expect(await screen.findByLabelText(`You, ${formatDateTime('2025-06-03T12:00:00Z')}: We have a garden.`)).toBeTruthy();
    expect(replyField().props.value).toBe('');
    expect(screen.queryByTestId('reply-failed')).toBeNull();
    const [first, retry] = posts(fake, REPLIES);
    expect(first!.headers.get('Idempotency-Key')).toMatch(UUID);
    expect(retry!.headers.get('Idempotency-Key')).toBe(first!.headers.get('Idempotency-Key'));
    expect(retry!.body).toBe(first!.body);

    // The next message is a new draft with a key of its own.
    fireEvent.changeText(replyField(), 'And a cat.');
    fireEvent.press(screen.getByRole('button', { name: 'Send reply' }));
    await waitFor(() => expect(posts(fake, REPLIES)).toHaveLength(3));
    expect(posts(fake, REPLIES)[2]!.headers.get('Idempotency-Key')).not.toBe(first!.headers.get('Idempotency-Key'));
  });

  it('when the failed try had reached the shelter and the text was changed since, reloads the thread and sends the new text as a new message', async () => {
    const fake = withThread(api());
    const keys: string[] = [];
    fake.on('POST', REPLIES, (request) => {
      const key = request.headers.get('Idempotency-Key')!;
      keys.push(key);
      // The first try reached the server but its answer was lost; the server keeps its key.
      if (keys.length === 1) return 'network-error';
      if (key === keys[0]) return { status: 422, body: problem(422, 'idempotency_key_reused', 'Key reused') };
      return request.json().then((body: { message: string }) => ({ status: 201, body: afterReply(body.message), headers: { ETag: 'W/"4-abcd"' } }));
    });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    await screen.findByRole('header', { name: 'Puppy 1' });
    fireEvent.changeText(replyField(), 'We have a garden.');
    fireEvent.press(screen.getByRole('button', { name: 'Send reply' }));
    await screen.findByTestId('reply-failed');
    fireEvent.changeText(replyField(), 'We have a big garden.');
    fireEvent.press(screen.getByRole('button', { name: 'Retry sending your reply' }));
    expect(await screen.findByText(/^Not sent\. Your earlier message was sent/)).toBeTruthy();
    expect(replyField().props.value).toBe('We have a big garden.');
    await waitFor(() => expect(fake.count('GET', THREAD_PATH)).toBe(2));
    fireEvent.press(screen.getByRole('button', { name: 'Retry sending your reply' }));
    await waitFor(() => expect(replyField().props.value).toBe(''));
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('says "Conversation not found" with a way back, not Retry, for an unknown thread', async () => {
    const fake = api();
    fake.on('GET', THREAD_PATH, { status: 404, body: problem(404, 'not_found', 'Not found') });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    expect(await screen.findByRole('header', { name: 'Conversation not found' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Back to messages' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry loading' })).toBeNull();
    // A 404 is final: asked once, never retried, and nothing is marked read.
    expect(fake.count('GET', THREAD_PATH)).toBe(1);
    expect(posts(fake, `${THREAD_PATH}/read`)).toHaveLength(0);
  });

  it('asks to sign in when signed out, without asking for the thread', async () => {
    const fake = withThread(installFakeApi());
    await renderApp(<ThreadScreen id={THREAD.id} />);
    expect(screen.getByRole('header', { name: 'Sign in to read this conversation' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(fake.count('GET', THREAD_PATH)).toBe(0);
  });

  it('offers Retry for a server error', async () => {
    const fake = api();
    fake.on('GET', THREAD_PATH, { status: 500, body: problem(500, 'internal_error', 'Internal') });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    expect(await screen.findByText('Couldn’t load this conversation')).toBeTruthy();
    withThread(fake);
    fireEvent.press(screen.getByRole('button', { name: 'Retry loading' }));
    expect(await screen.findByRole('header', { name: 'Puppy 1' })).toBeTruthy();
  });
});

describe('A conversation, from an address not confirmed yet', () => {
  const UNCONFIRMED = { ...ME, email_verified: false };

  it('shows the messages, and why a reply cannot go yet with a new link, instead of the reply box', async () => {
    const fake = withThread(api(UNCONFIRMED));
    fake.on('POST', '/v1/me/verification-email', { status: 202, body: { email: ME.email } });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    expect(await screen.findByText('Yes, come and meet her!')).toBeTruthy();
    const notice = screen.getByTestId('confirm-to-send');
    expect(within(notice).getByRole('header', { name: 'Confirm your email address to send messages' })).toBeTruthy();
    expect(screen.queryByLabelText('Your reply')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send reply' })).toBeNull();
    // Reading is not writing: the thread is still marked read.
    await waitFor(() => expect(posts(fake, `${THREAD_PATH}/read`)).toHaveLength(1));
    fireEvent.press(within(notice).getByRole('button', { name: 'Send the link again' }));
    expect(await within(notice).findByText('Sent — check your inbox')).toBeTruthy();
    expect(posts(fake, REPLIES)).toHaveLength(0);
  });

  it('when the API refuses a reply as unconfirmed (403 email_unverified), says so and keeps the draft', async () => {
    const fake = withThread(api());
    fake.on('POST', REPLIES, { status: 403, body: problem(403, 'email_unverified', 'Forbidden') });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    await screen.findByRole('header', { name: 'Puppy 1' });
    fireEvent.changeText(replyField(), 'Could we visit on Saturday?');
    fake.on('GET', '/v1/me', { body: UNCONFIRMED });
    fireEvent.press(screen.getByRole('button', { name: 'Send reply' }));

    const notice = await screen.findByTestId('confirm-to-send');
    expect(within(notice).getByRole('alert', { name: 'Confirm your email address to send messages' })).toBeTruthy();
    expect(replyField().props.value).toBe('Could we visit on Saturday?');
    expect(screen.queryByTestId('reply-failed')).toBeNull();
    // The account is asked again; it now says unconfirmed, and the draft stays.
    await waitFor(() => expect(fake.count('GET', '/v1/me')).toBe(2));
    expect(screen.getByTestId('confirm-to-send')).toBeTruthy();
    expect(replyField().props.value).toBe('Could we visit on Saturday?');

    // Once confirmed, the same draft goes, with the same Idempotency-Key (the refusal kept nothing).
    fake.on('POST', REPLIES, (request) => request.json().then((body: { message: string }) => ({ status: 201, body: afterReply(body.message), headers: { ETag: 'W/"3-bbbb"' } })));
    fireEvent.press(screen.getByRole('button', { name: 'Retry sending your reply' }));
    expect(await screen.findByLabelText(`You, ${formatDateTime('2025-06-03T12:00:00Z')}: Could we visit on Saturday?`)).toBeTruthy();
    const [refused, sent] = posts(fake, REPLIES);
    expect(sent!.headers.get('Idempotency-Key')).toBe(refused!.headers.get('Idempotency-Key'));
  });
});

describe('A conversation, for the shelter’s staff', () => {
  const STATUS = `${THREAD_PATH}/status`;

  it('names the adopter, and closes the thread with If-Match from its ETag', async () => {
    const fake = withThread(api(STAFF), answered(1, { unread_count: 0 }), 'W/"2-aaaa"');
    fake.on('PUT', STATUS, { body: answered(1, { status: 'closed', version: 3 }), headers: { ETag: 'W/"3-dddd"' } });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    expect(await screen.findByText('with Ada · ada@example.org')).toBeTruthy();
    expect(screen.getByText('Status: Answered · Reply: In the app · Not assigned')).toBeTruthy();
    expect(screen.getAllByTestId('thread-message')[1]!.props.accessibilityLabel).toMatch(/^Staff, /);
    fireEvent.press(screen.getByRole('button', { name: 'Close this conversation' }));
    expect(await screen.findByText('Status: Closed · Reply: In the app · Not assigned')).toBeTruthy();
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path === STATUS)!;
    expect(put.headers.get('If-Match')).toBe('W/"2-aaaa"');
    expect(JSON.parse(put.body!)).toEqual({ status: 'closed' });
    // The answer's ETag is the one the next change sends.
    fake.on('PUT', STATUS, { body: answered(1, { status: 'open', version: 4 }), headers: { ETag: 'W/"4-eeee"' } });
    fireEvent.press(screen.getByRole('button', { name: 'Reopen this conversation' }));
    expect(await screen.findByText('Status: Open · Reply: In the app · Not assigned')).toBeTruthy();
    expect(fake.calls.filter((c) => c.method === 'PUT').at(-1)!.headers.get('If-Match')).toBe('W/"3-dddd"');
  });

  it('assigns the thread to themselves with If-Match', async () => {
    const fake = withThread(api(STAFF));
    fake.on('PUT', `${THREAD_PATH}/assignee`, { body: answered(1, { assignee: { id: STAFF.id, display_name: 'Sam' }, version: 3 }), headers: { ETag: 'W/"3-ffff"' } });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    fireEvent.press(await screen.findByRole('button', { name: 'Assign this conversation to me' }));
    expect(await screen.findByText(/Assigned to Sam/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Unassign this conversation from me' })).toBeTruthy();
    const put = fake.calls.find((c) => c.method === 'PUT')!;
    expect(put.headers.get('If-Match')).toBe('W/"2-aaaa"');
    expect(JSON.parse(put.body!)).toEqual({ assignee: STAFF.id });
  });

  it('when someone else changed the thread (412), says so and loads it again', async () => {
    const fake = withThread(api(STAFF));
    fake.on('PUT', STATUS, { status: 412, body: problem(412, 'precondition_failed', 'Precondition failed') });
    await renderApp(<ThreadScreen id={THREAD.id} />, { token: 't' });
    await screen.findByRole('header', { name: 'Puppy 1' });
    expect(fake.count('GET', THREAD_PATH)).toBe(1);
    // Meanwhile a colleague closed it.
    fake.on('GET', THREAD_PATH, { body: answered(1, { status: 'closed', version: 3 }), headers: { ETag: 'W/"3-9999"' } });
    fireEvent.press(screen.getByRole('button', { name: 'Close this conversation' }));
    expect(await screen.findByText('Someone else changed this thread; reloaded.')).toBeTruthy();
    expect(await screen.findByText(/^Status: Closed/)).toBeTruthy();
    expect(fake.count('GET', THREAD_PATH)).toBe(2);
    expect(screen.getByRole('button', { name: 'Reopen this conversation' })).toBeTruthy();
  });
});

describe('Message rules', () => {
  it('counts characters as the API does and refuses what it would refuse', () => {
    expect(messageLength('  🐶 ok ')).toBe(4);
    expect(validateMessage('🐶'.repeat(MAX_MESSAGE), 'empty')).toBeNull();
    expect(validateMessage('🐶'.repeat(MAX_MESSAGE + 1), 'empty')).toMatch(/^Keep the message to 2,000 characters/);
    expect(validateMessage('\u200B\u200B \u3164', 'empty')).toBe('empty');
    expect(validateMessage('Hi\u0007', 'empty')).toMatch(/control characters/);
    expect(validateMessage('Hi \u202Eereht', 'empty')).toMatch(/text-direction/);
    expect(validateMessage('Hello,\nsee you soon', 'empty')).toBeNull();
  });
});
