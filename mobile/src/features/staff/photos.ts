import { ImageManipulator, SaveFormat } from 'expo-image-manipulator';
import * as ImagePicker from 'expo-image-picker';
import { Platform } from 'react-native';

import { api, postForm, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type PhotoList = components['schemas']['PhotoList'];

export const MAX_PER_UPLOAD = 4;
export const MAX_PER_PUPPY = 12;
const MAX_EDGE = 2560;

export type PickedPhoto = { uri: string; width: number; height: number };

/** Opens the camera or the photo library; null when the person cancels or refuses. */
export async function pickPhotos(source: 'camera' | 'library', limit: number): Promise<PickedPhoto[] | 'denied'> {
  const permission =
    source === 'camera' ? await ImagePicker.requestCameraPermissionsAsync() : await ImagePicker.requestMediaLibraryPermissionsAsync();
  if (!permission.granted) return 'denied';
  const options: ImagePicker.ImagePickerOptions = {
    mediaTypes: ['images'],
    quality: 1,
    allowsMultipleSelection: source === 'library' && limit > 1,
    selectionLimit: limit,
  };
  const result = source === 'camera' ? await ImagePicker.launchCameraAsync(options) : await ImagePicker.launchImageLibraryAsync(options);
  if (result.canceled) return [];
  return result.assets.slice(0, limit).map((a) => ({ uri: a.uri, width: a.width, height: a.height }));
}

/** Re-encodes any picked image (HEIC, PNG, WebP…) as a JPEG no larger than MAX_EDGE. */
export async function toJpeg(photo: PickedPhoto): Promise<PickedPhoto> {
  const context = ImageManipulator.manipulate(photo.uri);
  const longest = Math.max(photo.width, photo.height);
  if (longest > MAX_EDGE) {
    context.resize(photo.width >= photo.height ? { width: MAX_EDGE, height: null } : { width: null, height: MAX_EDGE });
  }
  const image = await context.renderAsync();
  const saved = await image.saveAsync({ format: SaveFormat.JPEG, compress: 0.85 });
  return { uri: saved.uri, width: saved.width, height: saved.height };
}

async function appendPhoto(form: FormData, photo: PickedPhoto, index: number) {
  const name = `photo-${index + 1}.jpg`;
  if (Platform.OS === 'web') {
    const blob = await (await fetch(photo.uri)).blob();
    form.append('photo', new Blob([blob], { type: 'image/jpeg' }), name);
  } else {
    // React Native's FormData streams a file from its uri.
    form.append('photo', { uri: photo.uri, name, type: 'image/jpeg' } as unknown as Blob);
  }
}

/** POST /v1/puppies/{id}/photos: multipart parts named `photo` (sent as built, not as JSON). */
export async function uploadPhotos(puppyId: string, photos: PickedPhoto[]): Promise<PhotoList> {
  const form = new FormData();
  for (const [i, photo] of photos.slice(0, MAX_PER_UPLOAD).entries()) await appendPhoto(form, photo, i);
  return postForm('/v1/puppies/{id}/photos', { id: puppyId }, form);
}

export function reorderPhotos(puppyId: string, photoIds: string[]): Promise<PhotoList> {
  return unwrap(api.PUT('/v1/puppies/{id}/photos/order', { params: { path: { id: puppyId } }, body: { photo_ids: photoIds } }));
}

export async function deletePhoto(puppyId: string, photoId: string): Promise<void> {
  await unwrap(api.DELETE('/v1/puppies/{id}/photos/{photo_id}', { params: { path: { id: puppyId, photo_id: photoId } } }));
}
