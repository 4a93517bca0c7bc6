import { act, fireEvent, screen, waitFor, within } from '@testing-library/react-native';
import * as ImagePicker from 'expo-image-picker';

import { PhotoManager } from '@/features/staff/PhotoManager';

import { detail, photo } from './helpers/fixtures';
import { installFakeApi, problem, type FakeApi } from './helpers/network';
import { renderApp, resetApp } from './helpers/render';

// The device's photo library and the JPEG re-encoder, replaced by stand-ins.
jest.mock('expo-image-picker', () => ({
  requestCameraPermissionsAsync: jest.fn(async () => ({ granted: true })),
  requestMediaLibraryPermissionsAsync: jest.fn(async () => ({ granted: true })),
  launchCameraAsync: jest.fn(),
  launchImageLibraryAsync: jest.fn(),
}));
jest.mock('expo-image-manipulator', () => ({
  SaveFormat: { JPEG: 'jpeg' },
  ImageManipulator: {
    manipulate: (uri: string) => ({
      resize: jest.fn(),
      renderAsync: async () => ({
        saveAsync: async () => ({ uri: uri.replace(/\.\w+$/, '.jpg'), width: 800, height: 600 }),
      }),
    }),
  },
}));

const picker = ImagePicker as jest.Mocked<typeof ImagePicker>;

afterEach(() => {
  resetApp();
  jest.clearAllMocks();
  jest.restoreAllMocks();
});

const ID = detail(5).id;
const photosPath = `/v1/puppies/${ID}/photos`;
const A = photo(1);
const B = photo(2);
const C = photo(3);

const thumbOf = (p: typeof A) => p.variants[0]!.url;
/** The thumbnails on screen, in order. */
const shownOrder = () =>
  screen.getAllByTestId('managed-photo').map((cell) => (within(cell).getByLabelText(/^Puppy 5, photo \d+$/).props.source as { uri: string }[])[0]!.uri);

function pick(...uris: string[]) {
  picker.launchImageLibraryAsync.mockResolvedValueOnce({
    canceled: false,
    assets: uris.map((uri) => ({ uri, width: 4000, height: 3000 })),
  } as ImagePicker.ImagePickerResult);
}

async function renderManager(photos = [A, B]): Promise<FakeApi> {
  const fake = installFakeApi();
  fake.on('GET', `/v1/puppies/${ID}`, { body: detail(5) });
  await renderApp(<PhotoManager puppyId={ID} puppyName="Puppy 5" photos={photos} />, { token: 't' });
  return fake;
}

describe('Staff: photo manager', () => {
  it('uploads the chosen photos as multipart parts named photo and shows the new list', async () => {
    const fake = await renderManager();
    fake.on('POST', photosPath, { status: 201, body: { photos: [A, B, C] } });
    const append = jest.spyOn(FormData.prototype, 'append');
    pick('file:///library/new.heic');
    expect(screen.getByText('Photos (2 of 12)')).toBeTruthy();
    fireEvent.press(screen.getByTestId('choose-photos'));
    expect(await screen.findByText('Photos added.')).toBeTruthy();
    expect(screen.getAllByTestId('managed-photo')).toHaveLength(3);
    expect(screen.getByText('Photos (3 of 12)')).toBeTruthy();

    expect(fake.count('POST', photosPath)).toBe(1);
    const call = fake.calls.find((c) => c.method === 'POST')!;
    expect(call.headers.get('Authorization')).toBe('Bearer t');
    expect(call.headers.get('Content-Type') ?? '').not.toMatch(/json/);
    expect(call.body).toContain('name="photo"');
    // On a device the part is streamed from the re-encoded JPEG's uri.
    expect(append).toHaveBeenCalledWith('photo', { uri: 'file:///library/new.jpg', name: 'photo-1.jpg', type: 'image/jpeg' });
    // At most the room left: 4 per upload.
    expect(picker.launchImageLibraryAsync).toHaveBeenCalledWith(expect.objectContaining({ selectionLimit: 4, mediaTypes: ['images'] }));
  });

  it('shows a 415 problem as a friendly sentence and keeps the photos', async () => {
    const fake = await renderManager();
    fake.on('POST', photosPath, { status: 415, body: problem(415, 'unsupported_media_type', 'Unsupported media type') });
    pick('file:///library/clip.gif');
    fireEvent.press(screen.getByTestId('choose-photos'));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('That file type is not supported. Use a JPEG, PNG or WebP photo.')).toBeTruthy();
    expect(screen.queryByText(/Unsupported media type/)).toBeNull();
    expect(screen.getAllByTestId('managed-photo')).toHaveLength(2);
  });

  it('says nothing and sends nothing when the person cancels the picker', async () => {
    const fake = await renderManager();
    picker.launchImageLibraryAsync.mockResolvedValueOnce({ canceled: true, assets: null } as ImagePicker.ImagePickerResult);
    fireEvent.press(screen.getByTestId('choose-photos'));
    await waitFor(() => expect(picker.launchImageLibraryAsync).toHaveBeenCalled());
    expect(fake.count('POST', photosPath)).toBe(0);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a refused library permission', async () => {
    await renderManager();
    picker.requestMediaLibraryPermissionsAsync.mockResolvedValueOnce({ granted: false } as ImagePicker.MediaLibraryPermissionResponse);
    fireEvent.press(screen.getByTestId('choose-photos'));
    expect(await screen.findByText('Photo library access was not given.')).toBeTruthy();
  });

  it('moves a photo earlier at once and sends the new order', async () => {
    const fake = await renderManager([A, B, C]);
    let release!: () => void;
    fake.on('PUT', `${photosPath}/order`, () => new Promise((r) => (release = () => r({ body: { photos: [A, C, B] } }))));
    fireEvent.press(screen.getByLabelText('Move photo 3 earlier'));
    // Optimistic: the third photo is second before the server answers.
    await waitFor(() => expect(fake.count('PUT', `${photosPath}/order`)).toBe(1));
    expect(JSON.parse(fake.calls.find((c) => c.method === 'PUT')!.body!)).toEqual({ photo_ids: [A.id, C.id, B.id] });
    expect(shownOrder()).toEqual([A, C, B].map(thumbOf));
    await act(async () => release());
    expect(shownOrder()).toEqual([A, C, B].map(thumbOf));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('puts the photos back when reordering fails', async () => {
    const fake = await renderManager([A, B]);
    fake.on('PUT', `${photosPath}/order`, { status: 400, body: problem(400, 'validation_failed', 'Invalid') });
    fireEvent.press(screen.getByLabelText('Move photo 2 earlier'));
    expect(await screen.findByText('Some of the details are not valid. Check the highlighted fields.')).toBeTruthy();
    expect(fake.count('PUT', `${photosPath}/order`)).toBe(1);
    expect(shownOrder()).toEqual([A, B].map(thumbOf));
  });

  it('deletes a photo at once and restores it if the server refuses', async () => {
    const fake = await renderManager([A, B]);
    fake.on('DELETE', `${photosPath}/${A.id}`, { status: 204 });
    fireEvent.press(screen.getByLabelText('Remove photo 1'));
    await waitFor(() => expect(screen.getAllByTestId('managed-photo')).toHaveLength(1));
    await waitFor(() => expect(fake.count('DELETE', `${photosPath}/${A.id}`)).toBe(1));
    expect(screen.getByText('Photos (1 of 12)')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    fake.on('DELETE', `${photosPath}/${B.id}`, { status: 403, body: problem(403, 'forbidden', 'Forbidden') });
    fireEvent.press(screen.getByLabelText('Remove photo 1'));
    expect(await screen.findByText('You do not have permission to do that.')).toBeTruthy();
    expect(screen.getAllByTestId('managed-photo')).toHaveLength(1);
  });
});
