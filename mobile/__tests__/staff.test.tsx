import { fireEvent, screen, waitFor, within } from '@testing-library/react-native';

import { InquiriesScreen } from '@/features/staff/InquiriesScreen';
import { validatePuppy, EMPTY_PUPPY } from '@/features/staff/puppyForm';
import { EditPuppyScreen, NewPuppyScreen } from '@/features/staff/PuppyFormScreen';
import { StaffScreen } from '@/features/staff/StaffScreen';

import { answered, BREEDS, config, detail, inquiry, inquiryPage, ME, ORG, page, photo, puppy, STAFF } from './helpers/fixtures';
import { installFakeApi, problem } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

describe('Staff: listings', () => {
  it('is only for staff', async () => {
    installFakeApi().on('GET', '/v1/me', { body: ME });
    await renderApp(<StaffScreen />, { token: 't' });
    expect(await screen.findByText('For shelter staff')).toBeTruthy();
  });

  it('loads every status of the organisation’s puppies', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    fake.on('GET', '/v1/puppies', { body: page([puppy(1), puppy(2, { status: 'adopted' })]) });
    await renderApp(<StaffScreen />, { token: 't' });
    expect(await screen.findByText('Puppy 2')).toBeTruthy();
    expect(screen.getByText('Adopted · $150')).toBeTruthy();
    const q = fake.calls.find((c) => c.path === '/v1/puppies')!.url.searchParams;
    expect(q.get('organization')).toBe(ORG.id);
    expect(q.getAll('status')).toEqual(['available', 'pending', 'adopted']);
  });

  it('shows how many inquiries wait unread on the way to the inbox', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    fake.on('GET', '/v1/puppies', { body: page([puppy(1)]) });
    fake.on('GET', '/v1/me/unread', { body: { threads: 2, messages: 5 } });
    await renderApp(<StaffScreen />, { token: 't' });
    expect(await screen.findByRole('button', { name: 'Open the inquiries inbox, 5 unread' })).toBeTruthy();
    expect(screen.getByText('Inquiries (5)')).toBeTruthy();
  });

  it('shows empty and error states', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    fake.on('GET', '/v1/puppies', { body: page([]) });
    const { unmount } = await renderApp(<StaffScreen />, { token: 't' });
    expect(await screen.findByText('No listings yet')).toBeTruthy();
    unmount();
    fake.on('GET', '/v1/puppies', { status: 403, body: problem(403, 'forbidden', 'Forbidden') });
    await renderApp(<StaffScreen />, { token: 't' });
    expect(await screen.findByText('Couldn’t load your listings')).toBeTruthy();
    expect(screen.getByText('You do not have permission to do that.')).toBeTruthy();
  });
});

describe('Staff: puppy form', () => {
  it('validates every field', () => {
    const today = new Date('2025-06-01T00:00:00Z');
    const errors = validatePuppy({ ...EMPTY_PUPPY, birth_date: '2025-02-30', fee: 'ten' }, today);
    expect(Object.keys(errors).sort()).toEqual(['birth_date', 'breed', 'colour', 'fee', 'name', 'sex']);
    expect(validatePuppy({ ...EMPTY_PUPPY, birth_date: '2025-07-01' }, today).birth_date).toMatch(/future/);
    const ok = { ...EMPTY_PUPPY, name: 'Biscuit', breed: 'beagle', sex: 'male' as const, birth_date: '2025-01-15', colour: 'tan', fee: '150' };
    expect(validatePuppy(ok, today)).toEqual({});
  });

  it('shows errors in the form and creates the puppy when valid', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/breeds', { body: BREEDS });
    fake.on('POST', '/v1/puppies', { status: 201, body: detail(5), headers: { ETag: '"v1"' } });
    await renderApp(<NewPuppyScreen />, { token: 't' });
    fireEvent.press(screen.getByTestId('puppy-form-submit'));
    expect(screen.getByText('Enter the puppy’s name.')).toBeTruthy();
    expect(screen.getByText('Choose a breed.')).toBeTruthy();
    expect(fake.count('POST', '/v1/puppies')).toBe(0);
    fireEvent.changeText(screen.getByLabelText('Name'), 'Biscuit');
    fireEvent.changeText(screen.getByLabelText('Breed'), 'bea');
    fireEvent.press(await screen.findByLabelText('Breed Beagle'));
    fireEvent.press(screen.getByLabelText('Sex male'));
    fireEvent.changeText(screen.getByLabelText('Birth date'), '2025-01-15');
    fireEvent.changeText(screen.getByLabelText('Colour'), 'tan');
    fireEvent.changeText(screen.getByLabelText('Adoption fee'), '150');
    fireEvent.press(screen.getByLabelText('Good with kids: Yes'));
    fireEvent.press(screen.getByTestId('puppy-form-submit'));
    await waitFor(() => expect(fake.count('POST', '/v1/puppies')).toBe(1));
    const body = JSON.parse(fake.calls.find((c) => c.method === 'POST')!.body!);
    expect(body).toMatchObject({ name: 'Biscuit', breed: 'beagle', sex: 'male', birth_date: '2025-01-15', colour: 'tan', adoption_fee_cents: 15000, good_with: { kids: true, dogs: null, cats: null } });
  });

  it('shows the server’s field errors', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/breeds', { body: BREEDS });
    fake.on('POST', '/v1/puppies', { status: 400, body: problem(400, 'validation_failed', 'Invalid', { errors: [{ field: 'name', message: 'Name is taken in your shelter' }] }) });
    await renderApp(<NewPuppyScreen />, { token: 't' });
    fireEvent.changeText(screen.getByLabelText('Name'), 'Biscuit');
    fireEvent.changeText(screen.getByLabelText('Breed'), 'poo');
    fireEvent.press(await screen.findByLabelText('Breed Poodle'));
    fireEvent.press(screen.getByLabelText('Sex female'));
    fireEvent.changeText(screen.getByLabelText('Birth date'), '2025-01-15');
    fireEvent.changeText(screen.getByLabelText('Colour'), 'white');
    fireEvent.changeText(screen.getByLabelText('Adoption fee'), '99.50');
    fireEvent.press(screen.getByTestId('puppy-form-submit'));
    expect(await screen.findByText('Name is taken in your shelter')).toBeTruthy();
  });

  it('edits with If-Match and changes the status', async () => {
    const fake = installFakeApi();
    const id = detail(5).id;
    let release!: () => void;
    fake.on('GET', `/v1/puppies/${id}`, () => new Promise((r) => (release = () => r({ body: detail(5), headers: { ETag: '"v7"' } }))));
    fake.on('GET', '/v1/config', { body: config({ photo_uploads: true }) });
    fake.on('GET', '/v1/breeds', { body: BREEDS });
    fake.on('PATCH', `/v1/puppies/${id}`, { body: detail(5, { status: 'pending' }), headers: { ETag: '"v8"' } });
    await renderApp(<EditPuppyScreen id={id} />, { token: 't' });
    expect(screen.getByTestId('skeleton')).toBeTruthy();
    release();
    fireEvent.press(await screen.findByLabelText('Mark Puppy 5 as pending'));
    expect(await screen.findByText('Status: Pending')).toBeTruthy();
    const patch = fake.calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe('"v7"');
    expect(JSON.parse(patch.body!)).toEqual({ status: 'pending' });
    expect(await screen.findByTestId('photo-manager')).toBeTruthy();
    expect(screen.getAllByTestId('managed-photo')).toHaveLength(2);
    expect(photo(5).variants[0]!.width).toBe(320);
  });

  it('shows a precondition failure in words', async () => {
    const fake = installFakeApi();
    const id = detail(5).id;
    fake.on('GET', `/v1/puppies/${id}`, { body: detail(5), headers: { ETag: '"v7"' } });
    fake.on('PATCH', `/v1/puppies/${id}`, { status: 412, body: problem(412, 'precondition_failed', 'Precondition failed') });
    await renderApp(<EditPuppyScreen id={id} />, { token: 't' });
    fireEvent.press(await screen.findByLabelText('Mark Puppy 5 as adopted'));
    expect(await screen.findByText(/Someone else saved this puppy/)).toBeTruthy();
  });
});

describe('Staff: inquiries inbox', () => {
  const INBOX = `/v1/organizations/${ORG.id}/inquiries`;

  it('shows loading, then the threads with their latest message and unread count', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    const fromAda = inquiry(2, {
      contact_preference: 'email',
      replies: [{ id: 'r1', author_role: 'adopter', message: 'We have a garden.', created_at: '2025-06-03T12:00:00Z' }],
      last_message: { author_role: 'adopter', excerpt: 'We have a garden.', at: '2025-06-03T12:00:00Z' },
      unread_count: 2,
      assignee: { id: STAFF.id, display_name: 'Sam' },
    });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    fake.on('GET', INBOX, () => held.then(() => ({ body: inquiryPage([fromAda, answered(1, { unread_count: 0 })]) })));
    await renderApp(<InquiriesScreen />, { token: 't' });
    expect(await screen.findByTestId('skeleton')).toBeTruthy();
    release();
    expect(await screen.findByText('Ada: We have a garden.')).toBeTruthy();
    expect(screen.getByText('Puppy 2 · Ada')).toBeTruthy();
    expect(screen.getByText('Open · Jun 3, 2025 · Reply: Email · Assigned to Sam')).toBeTruthy();
    // The unread count is on the row, and read out with it; a read thread has none.
    const rows = screen.getAllByTestId('thread-row');
    expect(within(rows[0]!).getByTestId('thread-unread')).toHaveTextContent('2');
    expect(rows[0]!.props.accessibilityLabel).toBe('Puppy 2 with Ada, Open, 2 unread, Jun 3, 2025, Reply: Email, Assigned to Sam. Ada: We have a garden.');
    expect(within(rows[1]!).queryByTestId('thread-unread')).toBeNull();
    expect(within(rows[1]!).getByText('Staff: Yes, come and meet her!')).toBeTruthy();
  });

  it('filters by status', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    fake.on('GET', INBOX, (_req, url) => ({ body: inquiryPage(url.searchParams.get('status') === 'closed' ? [] : [inquiry(1)]) }));
    await renderApp(<InquiriesScreen />, { token: 't' });
    expect(await screen.findByText('Puppy 1 · Ada')).toBeTruthy();
    expect(fake.calls.find((c) => c.path === INBOX)!.url.searchParams.has('status')).toBe(false);
    fireEvent.press(screen.getByRole('radio', { name: 'Show closed inquiries' }));
    expect(await screen.findByText('No closed inquiries')).toBeTruthy();
    expect(fake.calls.filter((c) => c.path === INBOX).at(-1)!.url.searchParams.get('status')).toBe('closed');
    expect(screen.getByRole('radio', { name: 'Show closed inquiries' })).toBeChecked();
  });

  it('shows empty and error states', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    fake.on('GET', INBOX, { body: inquiryPage([]) });
    const { unmount } = await renderApp(<InquiriesScreen />, { token: 't' });
    expect(await screen.findByText('No inquiries yet')).toBeTruthy();
    unmount();
    fake.on('GET', INBOX, { status: 500, body: problem(500, 'internal_error', 'Internal') });
    await renderApp(<InquiriesScreen />, { token: 't' });
    expect(await screen.findByText('Couldn’t load inquiries')).toBeTruthy();
  });
});
