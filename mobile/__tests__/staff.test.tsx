import { fireEvent, screen, waitFor } from '@testing-library/react-native';

import { InquiriesScreen } from '@/features/staff/InquiriesScreen';
import { validatePuppy, EMPTY_PUPPY } from '@/features/staff/puppyForm';
import { EditPuppyScreen, NewPuppyScreen } from '@/features/staff/PuppyFormScreen';
import { StaffScreen } from '@/features/staff/StaffScreen';

import { BREEDS, config, detail, ME, ORG, page, photo, puppy, STAFF } from './helpers/fixtures';
import { installFakeApi, problem } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

afterEach(resetApp);

const inquiry = {
  id: 'i1',
  puppy: { id: puppy(1).id, name: 'Puppy 1' },
  organization_id: ORG.id,
  message: 'Is she still available?',
  contact_preference: 'email',
  status: 'open',
  created_at: '2025-06-01T10:00:00Z',
  replies: [],
  adopter: { display_name: 'Ada', email: 'ada@example.org' },
};

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
  it('shows loading, then the inquiries', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    fake.on('GET', `/v1/organizations/${ORG.id}/inquiries`, { body: { items: [inquiry], next_cursor: null } });
    await renderApp(<InquiriesScreen />, { token: 't' });
    expect(await screen.findByText('Is she still available?')).toBeTruthy();
    expect(screen.getByText('Puppy 1 · Ada')).toBeTruthy();
  });

  it('shows empty and error states', async () => {
    const fake = installFakeApi();
    fake.on('GET', '/v1/me', { body: STAFF });
    fake.on('GET', `/v1/organizations/${ORG.id}/inquiries`, { body: { items: [], next_cursor: null } });
    const { unmount } = await renderApp(<InquiriesScreen />, { token: 't' });
    expect(await screen.findByText('No inquiries yet')).toBeTruthy();
    unmount();
    fake.on('GET', `/v1/organizations/${ORG.id}/inquiries`, { status: 500, body: problem(500, 'internal_error', 'Internal') });
    await renderApp(<InquiriesScreen />, { token: 't' });
    expect(await screen.findByText('Couldn’t load inquiries')).toBeTruthy();
  });
});
