import { fireEvent, screen, waitFor, within } from '@testing-library/react-native';

import { inquiryKeys } from '@/features/inquiries/useInquiries';
import { PuppyDetailScreen } from '@/features/puppy/PuppyDetailScreen';

import { config, detail, inquiry, ME } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi, type RecordedCall } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

const ID = detail(1).id;
const path = `/v1/puppies/${ID}`;
const INQUIRIES = `${path}/inquiries`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const inquiryPosts = (fake: FakeApi): RecordedCall[] => fake.calls.filter((c) => c.method === 'POST' && c.path === INQUIRIES);
const keyOf = (call: RecordedCall | undefined) => call!.headers.get('Idempotency-Key');

function withPuppy(flags = {}): FakeApi {
  const fake = installFakeApi();
  fake.on('GET', path, { body: detail(1), headers: { ETag: '"v1"' } });
  fake.on('GET', '/v1/config', { body: config(flags) });
  fake.on('GET', '/v1/me', { body: ME });
  fake.on('GET', '/v1/me/favorites', { body: { items: [], next_cursor: null } });
  return fake;
}

describe('Puppy detail', () => {
  it('shows a skeleton, then photos, facts and the organisation', async () => {
    withPuppy();
    await renderApp(<PuppyDetailScreen id={ID} />);
    expect(await screen.findByText('Puppy 1')).toBeTruthy();
    expect(screen.getByTestId('photo-carousel')).toBeTruthy();
    expect(screen.getByLabelText('Puppy 1, Beagle (photo 1 of 2)')).toBeTruthy();
    expect(screen.getByLabelText('Vaccinated: Yes')).toBeTruthy();
    expect(screen.getByLabelText('Good with cats: Not known yet')).toBeTruthy();
    expect(screen.getByText('Rose City Rescue')).toBeTruthy();
  });

  it('shows the loading skeleton first', async () => {
    const fake = installFakeApi();
    fake.on('GET', path, () => new Promise(() => undefined));
    await renderApp(<PuppyDetailScreen id={ID} />);
    expect(screen.getByTestId('skeleton')).toBeTruthy();
  });

  it('says "Puppy not found" with a way back to browse, not a retry, for an unknown puppy', async () => {
    const fake = installFakeApi();
    fake.on('GET', path, { status: 404, body: problem(404, 'not_found', 'Not found') });
    await renderApp(<PuppyDetailScreen id={ID} />);
    expect(await screen.findByRole('header', { name: 'Puppy not found' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Back to browse' })).toBeTruthy();
    expect(screen.queryByLabelText('Retry loading')).toBeNull();
    // A 404 is final: asked once, never retried.
    expect(fake.count('GET', path)).toBe(1);
  });

  it('offers a retry for a server error', async () => {
    const fake = installFakeApi();
    fake.on('GET', path, { status: 500, body: problem(500, 'internal_error', 'Internal') });
    await renderApp(<PuppyDetailScreen id={ID} />);
    expect(await screen.findByText('Couldn’t load this puppy')).toBeTruthy();
    expect(screen.queryByText('Puppy not found')).toBeNull();
    fake.on('GET', path, { body: detail(1) });
    fireEvent.press(screen.getByRole('button', { name: 'Retry loading' }));
    expect(await screen.findByText('Puppy 1')).toBeTruthy();
  });

  it('shows values formatted for the locale', async () => {
    const fake = withPuppy();
    fake.on('GET', path, { body: detail(1, { adoption_fee: { amount_cents: 9950, currency: 'EUR' }, coat: 'wire', size: 'giant', status: 'pending' }) });
    await renderApp(<PuppyDetailScreen id={ID} />);
    expect(await screen.findByLabelText('Adoption fee: €99.50')).toBeTruthy();
    expect(screen.getByLabelText('Coat: Wire')).toBeTruthy();
    expect(screen.getByLabelText('Size: Giant')).toBeTruthy();
    expect(screen.getByLabelText('Sex: Female')).toBeTruthy();
    expect(screen.getByLabelText('Colour: Tan')).toBeTruthy();
    expect(screen.getByText('Pending')).toBeTruthy();
    expect(screen.getByText('Rescue · Portland, OR')).toBeTruthy();
  });

  it('hides the assistant and inquiry form when the flags are off or /v1/config fails', async () => {
    const fake = withPuppy();
    fake.on('GET', '/v1/config', { status: 404, body: problem(404, 'not_found', 'Not found') });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    await screen.findByText('Puppy 1');
    await waitFor(() => expect(fake.count('GET', '/v1/config')).toBeGreaterThan(0));
    expect(screen.queryByTestId('assistant-panel')).toBeNull();
    expect(screen.queryByTestId('inquiry-form')).toBeNull();
  });

  it('asks signed-out people to sign in instead of showing an error', async () => {
    const fake = withPuppy({ assistant: true });
    await renderApp(<PuppyDetailScreen id={ID} />);
    const panel = await screen.findByTestId('assistant-panel');
    expect(panel).toBeTruthy();
    expect(screen.getByText('Sign in to ask about Puppy 1')).toBeTruthy();
    expect(screen.getByLabelText('Sign in to ask about Puppy 1')).toBeTruthy();
    expect(screen.queryByLabelText('Your question')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fake.count('POST', '/v1/assistant/messages')).toBe(0);
  });

  it('shows "Feature temporarily unavailable" inside the assistant panel while the rest works', async () => {
    const fake = withPuppy({ assistant: true });
    fake.on('POST', '/v1/assistant/messages', { status: 503, body: problem(503, 'feature_unavailable', 'Feature temporarily unavailable'), headers: { 'Retry-After': '30' } });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    expect(await screen.findByTestId('assistant-panel')).toBeTruthy();
    fireEvent.changeText(await screen.findByLabelText('Your question'), 'Is she calm?');
    fireEvent.press(screen.getByLabelText('Ask the assistant'));
    const notice = await screen.findByTestId('assistant-unavailable');
    expect(within(notice).getByText('Feature temporarily unavailable')).toBeTruthy();
    // Only the panel says so: the puppy, its facts and the favourite button stay.
    expect(screen.getAllByText('Feature temporarily unavailable')).toHaveLength(1);
    expect(screen.getByText('Puppy 1')).toBeTruthy();
    expect(screen.getByLabelText('Vaccinated: Yes')).toBeTruthy();
    expect(screen.getByLabelText('Save Puppy 1 to favourites')).toBeTruthy();
    expect(screen.queryByTestId('error-state')).toBeNull();
    // A failed question is sent once: mutations are not retried.
    expect(fake.count('POST', '/v1/assistant/messages')).toBe(1);
    const call = fake.calls.find((c) => c.path === '/v1/assistant/messages')!;
    expect(call.headers.get('Authorization')).toBe('Bearer t');
    expect(JSON.parse(call.body!)).toEqual({ puppy_id: ID, messages: [{ role: 'user', content: 'Is she calm?' }] });
  });

  it('says the question limit is reached on 429, with when to ask again', async () => {
    const fake = withPuppy({ assistant: true });
    fake.on('POST', '/v1/assistant/messages', { status: 429, body: problem(429, 'rate_limited', 'Too many requests'), headers: { 'Retry-After': '120' } });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.changeText(await screen.findByLabelText('Your question'), 'Kids?');
    fireEvent.press(screen.getByLabelText('Ask the assistant'));
    const notice = await screen.findByTestId('assistant-limited');
    expect(within(notice).getByText('Question limit reached')).toBeTruthy();
    expect(within(notice).getByText(/ask again in 2 minutes/)).toBeTruthy();
    expect(screen.queryByTestId('assistant-unavailable')).toBeNull();
  });

  it('shows the sign-in prompt again when the session has ended (401)', async () => {
    const fake = withPuppy({ assistant: true });
    fake.on('POST', '/v1/assistant/messages', { status: 401, body: problem(401, 'unauthorized', 'Unauthorized') });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.changeText(await screen.findByLabelText('Your question'), 'Kids?');
    fireEvent.press(screen.getByLabelText('Ask the assistant'));
    expect(await screen.findByText('Sign in to ask about Puppy 1')).toBeTruthy();
    expect(screen.queryByLabelText('Your question')).toBeNull();
  });

  it('shows the assistant’s answer', async () => {
    const fake = withPuppy({ assistant: true });
    fake.on('POST', '/v1/assistant/messages', { body: { message: { role: 'assistant', content: 'She loves kids.' }, refused: false } });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.changeText(await screen.findByLabelText('Your question'), 'Kids?');
    fireEvent.press(screen.getByLabelText('Ask the assistant'));
    expect(await screen.findByText('She loves kids.')).toBeTruthy();
  });

  it('saves a favourite at once and rolls back when the server refuses', async () => {
    const fake = withPuppy();
    let release!: (v: unknown) => void;
    fake.on('PUT', `/v1/me/favorites/${ID}`, () => new Promise((r) => (release = () => r({ status: 404, body: problem(404, 'not_found', 'Not found') }))));
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    // The button waits (disabled) until the saved puppies are known.
    const save = await screen.findByRole('button', { name: 'Save Puppy 1 to favourites' });
    await waitFor(() => expect(save).toBeEnabled());
    fireEvent.press(save);
    expect(await screen.findByLabelText('Remove Puppy 1 from favourites')).toBeTruthy();
    release(undefined);
    expect(await screen.findByLabelText('Save Puppy 1 to favourites')).toBeTruthy();
    expect(screen.getByText(/could not find that/)).toBeTruthy();
  });

  it('validates the inquiry, shows it as sent at once, and restores it if sending fails', async () => {
    const fake = withPuppy({ inquiries: true });
    let release!: () => void;
    fake.on('POST', `/v1/puppies/${ID}/inquiries`, () => new Promise((r) => (release = () => r({ status: 500, body: problem(500, 'internal_error', 'Internal') }))));
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.press(await screen.findByLabelText('Send message to the shelter'));
    expect(screen.getByText('Write a message to the shelter.')).toBeTruthy();
    fireEvent.changeText(screen.getByLabelText('Message about Puppy 1'), 'x'.repeat(2001));
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    expect(screen.getByText('Keep the message to 2,000 characters (it has 2,001).')).toBeTruthy();
    fireEvent.changeText(screen.getByLabelText('Message about Puppy 1'), 'We have a big garden.');
    fireEvent.press(screen.getByLabelText('Reply by phone'));
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    expect(await screen.findByTestId('inquiry-sent')).toBeTruthy();
    release();
    expect(await screen.findByTestId('inquiry-form')).toBeTruthy();
    expect(screen.getByDisplayValue('We have a big garden.')).toBeTruthy();
    expect(screen.getByText(/on our side/)).toBeTruthy();
    const body = JSON.parse(fake.calls.find((c) => c.method === 'POST')!.body!);
    expect(body).toEqual({ message: 'We have a big garden.', contact_preference: 'phone' });
  });

  it('once the inquiry is sent, says so and offers the way to Messages, where the answer will be', async () => {
    const fake = withPuppy({ inquiries: true });
    fake.on('POST', `/v1/puppies/${ID}/inquiries`, { status: 201, body: inquiry(1), headers: { ETag: 'W/"1-aaaa"' } });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.changeText(await screen.findByLabelText('Message about Puppy 1'), 'Is she still available?');
    fireEvent.press(screen.getByLabelText('Reply by in the app'));
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    expect(await screen.findByText('Message sent to Rose City Rescue.')).toBeTruthy();
    expect(screen.getByText('They will answer in Messages.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open Messages' })).toBeTruthy();
  });

  it('sends the inquiry with an Idempotency-Key, and another inquiry after it with a new key', async () => {
    const fake = withPuppy({ inquiries: true });
    fake.on('POST', INQUIRIES, { status: 201, body: inquiry(1), headers: { ETag: 'W/"1-aaaa"' } });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.changeText(await screen.findByLabelText('Message about Puppy 1'), 'Is she still available?');
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    expect(await screen.findByText('Message sent to Rose City Rescue.')).toBeTruthy();
    const [first] = inquiryPosts(fake);
    expect(keyOf(first)).toMatch(UUID);
    expect(JSON.parse(first!.body!)).toEqual({ message: 'Is she still available?', contact_preference: 'email' });

    // A new message is a new draft: empty, with a key of its own.
    fireEvent.press(screen.getByRole('button', { name: 'Write another message about Puppy 1' }));
    expect(screen.getByLabelText('Message about Puppy 1').props.value).toBe('');
    fireEvent.changeText(screen.getByLabelText('Message about Puppy 1'), 'Does she like cats?');
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    expect(await screen.findByText('Message sent to Rose City Rescue.')).toBeTruthy();
    const [, second] = inquiryPosts(fake);
    expect(keyOf(second)).toMatch(UUID);
    expect(keyOf(second)).not.toBe(keyOf(first));
    expect(JSON.parse(second!.body!)).toEqual({ message: 'Does she like cats?', contact_preference: 'email' });
  });

  it('keeps the text when sending fails, and Retry sends the same inquiry with the same Idempotency-Key', async () => {
    const fake = withPuppy({ inquiries: true });
    // The first try never gets an answer (the connection dropped); the next one does.
    fake.on('POST', INQUIRIES, ['network-error', { status: 201, body: inquiry(1), headers: { ETag: 'W/"1-aaaa"' } }]);
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.changeText(await screen.findByLabelText('Message about Puppy 1'), '  We have a big garden.  ');
    fireEvent.press(screen.getByLabelText('Reply by phone'));
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    expect(await screen.findByText('Not sent. Can’t reach Kennel. Check your connection and try again.')).toBeTruthy();
    expect(screen.getByLabelText('Message about Puppy 1').props.value).toBe('  We have a big garden.  ');

    fireEvent.press(screen.getByRole('button', { name: 'Retry sending your message to the shelter' }));
    expect(await screen.findByText('Message sent to Rose City Rescue.')).toBeTruthy();
    expect(screen.getByText('They will answer by phone.')).toBeTruthy();
    const [first, retry] = inquiryPosts(fake);
    expect(inquiryPosts(fake)).toHaveLength(2);
    expect(keyOf(first)).toMatch(UUID);
    expect(keyOf(retry)).toBe(keyOf(first));
    expect(JSON.parse(retry!.body!)).toEqual({ message: 'We have a big garden.', contact_preference: 'phone' });
    expect(retry!.body).toBe(first!.body);
  });

  it('when the failed try had reached the shelter and the text was changed since, says so and sends the new text with a new key', async () => {
    const fake = withPuppy({ inquiries: true });
    const keys: string[] = [];
    fake.on('POST', INQUIRIES, (request) => {
      const key = request.headers.get('Idempotency-Key')!;
      keys.push(key);
      // The first try reached the server but its answer was lost; the server keeps its key.
      if (keys.length === 1) return 'network-error';
      if (key === keys[0]) return { status: 422, body: problem(422, 'idempotency_key_reused', 'Key reused') };
      return { status: 201, body: inquiry(1), headers: { ETag: 'W/"1-aaaa"' } };
    });
    const { queryClient } = await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    queryClient.setQueryData(inquiryKeys.myList, { pages: [], pageParams: [] });
    fireEvent.changeText(await screen.findByLabelText('Message about Puppy 1'), 'We have a garden.');
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    await screen.findByTestId('inquiry-failed');
    fireEvent.changeText(screen.getByLabelText('Message about Puppy 1'), 'We have a big garden.');
    fireEvent.press(screen.getByRole('button', { name: 'Retry sending your message to the shelter' }));
    expect(await screen.findByText(/^Not sent\. Your earlier message was sent \(it is in Messages\)/)).toBeTruthy();
    expect(screen.getByLabelText('Message about Puppy 1').props.value).toBe('We have a big garden.');
    // Messages will show the inquiry that went.
    expect(queryClient.getQueryState(inquiryKeys.myList)?.isInvalidated).toBe(true);

    fireEvent.press(screen.getByRole('button', { name: 'Retry sending your message to the shelter' }));
    expect(await screen.findByText('Message sent to Rose City Rescue.')).toBeTruthy();
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(UUID);
    expect(keys[2]).not.toBe(keys[0]);
    expect(JSON.parse(inquiryPosts(fake)[2]!.body!)).toEqual({ message: 'We have a big garden.', contact_preference: 'email' });
  });

  it('tells an account whose address is not confirmed why it cannot write yet, with a new link, instead of the form', async () => {
    const fake = withPuppy({ inquiries: true });
    fake.on('GET', '/v1/me', { body: { ...ME, email_verified: false } });
    fake.on('POST', '/v1/me/verification-email', { status: 202, body: { email: ME.email } });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    const notice = await screen.findByTestId('confirm-to-send');
    expect(within(notice).getByRole('header', { name: 'Confirm your email address to send messages' })).toBeTruthy();
    expect(within(notice).getByText(/emailed to ada@example\.org/)).toBeTruthy();
    // Nothing to type into that could not be sent.
    expect(screen.queryByLabelText('Message about Puppy 1')).toBeNull();
    expect(screen.queryByLabelText('Send message to the shelter')).toBeNull();
    // Favourites still work.
    expect(screen.getByLabelText('Save Puppy 1 to favourites')).toBeTruthy();

    fireEvent.press(within(notice).getByRole('button', { name: 'Send the link again' }));
    expect(await within(notice).findByText('Sent — check your inbox')).toBeTruthy();
    expect(fake.count('POST', '/v1/me/verification-email')).toBe(1);
    expect(inquiryPosts(fake)).toHaveLength(0);
  });

  it('when the API refuses the inquiry as unconfirmed (403 email_unverified), says so and keeps the draft for after confirming', async () => {
    const fake = withPuppy({ inquiries: true });
    // The account loaded here said confirmed; the API knows better.
    fake.on('POST', INQUIRIES, { status: 403, body: problem(403, 'email_unverified', 'Forbidden', { detail: 'Confirm your email address before sending messages.' }) });
    await renderApp(<PuppyDetailScreen id={ID} />, { token: 't' });
    fireEvent.changeText(await screen.findByLabelText('Message about Puppy 1'), 'Is she still available?');
    fake.on('GET', '/v1/me', { body: { ...ME, email_verified: false } });
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));

    const notice = await screen.findByTestId('confirm-to-send');
    expect(within(notice).getByRole('alert', { name: 'Confirm your email address to send messages' })).toBeTruthy();
    expect(within(notice).getByRole('button', { name: 'Send the link again' })).toBeTruthy();
    expect(screen.getByLabelText('Message about Puppy 1').props.value).toBe('Is she still available?');
    expect(screen.queryByTestId('inquiry-failed')).toBeNull();
    // The account is asked again, and now says the address is not confirmed: the draft stays.
    await waitFor(() => expect(fake.count('GET', '/v1/me')).toBe(2));
    expect(screen.getByTestId('confirm-to-send')).toBeTruthy();
    expect(screen.getByLabelText('Message about Puppy 1').props.value).toBe('Is she still available?');

    // Once confirmed, the same draft goes.
    fake.on('POST', INQUIRIES, { status: 201, body: inquiry(1), headers: { ETag: 'W/"1-aaaa"' } });
    fireEvent.press(screen.getByLabelText('Send message to the shelter'));
    expect(await screen.findByText('Message sent to Rose City Rescue.')).toBeTruthy();
    const [refused, sent] = inquiryPosts(fake);
    expect(sent!.body).toBe(refused!.body);
  });
});
