import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Image } from 'expo-image';
import { useState } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import { friendlyMessage } from '@/api/errors';
import type { components } from '@/api/schema';
import { Button } from '@/components/Button';
import { spacing, useTheme } from '@/theme';

import { puppyKey } from '../puppy/usePuppy';
import { deletePhoto, MAX_PER_PUPPY, MAX_PER_UPLOAD, pickPhotos, reorderPhotos, toJpeg, uploadPhotos, type PhotoList } from './photos';
import { editablePuppyKey } from './useStaff';

type Photo = components['schemas']['Photo'];

type Props = { puppyId: string; puppyName: string; photos: Photo[] };

export function PhotoManager({ puppyId, puppyName, photos: initial }: Props) {
  const { colors } = useTheme();
  const queryClient = useQueryClient();
  const [photos, setPhotos] = useState<Photo[]>(initial);
  const [message, setMessage] = useState<string | null>(null);

  const applied = (list: PhotoList) => {
    setPhotos(list.photos);
    void queryClient.invalidateQueries({ queryKey: puppyKey(puppyId) });
    void queryClient.invalidateQueries({ queryKey: editablePuppyKey(puppyId) });
    void queryClient.invalidateQueries({ queryKey: ['puppies'] });
    void queryClient.invalidateQueries({ queryKey: ['staff', 'puppies'] });
  };

  const upload = useMutation({
    mutationFn: async (source: 'camera' | 'library') => {
      const room = Math.min(MAX_PER_UPLOAD, MAX_PER_PUPPY - photos.length);
      const picked = await pickPhotos(source, room);
      if (picked === 'denied') throw new Error(source === 'camera' ? 'Camera access was not given.' : 'Photo library access was not given.');
      if (picked.length === 0) return null;
      const jpegs = await Promise.all(picked.map(toJpeg));
      return uploadPhotos(puppyId, jpegs);
    },
    onMutate: () => setMessage(null),
    onSuccess: (list) => {
      if (list) {
        applied(list);
        setMessage('Photos added.');
      }
    },
    onError: (error) => setMessage(error instanceof Error && !('status' in error) ? error.message : friendlyMessage(error)),
  });

  const reorder = useMutation({
    mutationFn: (ids: string[]) => reorderPhotos(puppyId, ids),
    onMutate: (ids) => {
      const before = photos;
      setPhotos(ids.map((id) => photos.find((p) => p.id === id)!).filter(Boolean));
      return { before };
    },
    onSuccess: applied,
    onError: (error, _ids, context) => {
      if (context) setPhotos(context.before);
      setMessage(friendlyMessage(error));
    },
  });

  const remove = useMutation({
    mutationFn: (photoId: string) => deletePhoto(puppyId, photoId),
    onMutate: (photoId) => {
      const before = photos;
      setPhotos(photos.filter((p) => p.id !== photoId));
      return { before };
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: puppyKey(puppyId) });
      void queryClient.invalidateQueries({ queryKey: ['puppies'] });
    },
    onError: (error, _id, context) => {
      if (context) setPhotos(context.before);
      setMessage(friendlyMessage(error));
    },
  });

  const full = photos.length >= MAX_PER_PUPPY;
  return (
    <View testID="photo-manager" style={styles.box}>
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        Photos ({photos.length} of {MAX_PER_PUPPY})
      </Text>
      <View style={styles.grid}>
        {photos.map((photo, i) => (
          <View key={photo.id} style={styles.cell} testID="managed-photo">
            <Image
              source={{ uri: photo.variants[0]?.url }}
              style={styles.thumb}
              contentFit="cover"
              accessibilityLabel={photo.alt || `${puppyName}, photo ${i + 1}`}
              alt={photo.alt || `${puppyName}, photo ${i + 1}`}
            />
            <View style={styles.cellActions}>
              {i > 0 ? (
                <Button
                  label="←"
                  variant="secondary"
                  onPress={() => {
                    const ids = photos.map((p) => p.id);
                    [ids[i - 1], ids[i]] = [ids[i]!, ids[i - 1]!];
                    reorder.mutate(ids);
                  }}
                  accessibilityLabel={`Move photo ${i + 1} earlier`}
                />
              ) : null}
              <Button label="✕" variant="secondary" onPress={() => remove.mutate(photo.id)} accessibilityLabel={`Remove photo ${i + 1}`} />
            </View>
          </View>
        ))}
      </View>
      {message ? (
        <Text accessibilityRole="alert" style={{ color: colors.text }}>
          {message}
        </Text>
      ) : null}
      <View style={styles.actions}>
        <Button label="Take photo" variant="secondary" disabled={full} busy={upload.isPending && upload.variables === 'camera'} onPress={() => upload.mutate('camera')} accessibilityLabel="Take a photo with the camera" />
        <Button label="Choose photos" variant="secondary" disabled={full} busy={upload.isPending && upload.variables === 'library'} onPress={() => upload.mutate('library')} accessibilityLabel="Choose photos from the library" testID="choose-photos" />
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  box: { gap: spacing.sm },
  title: { fontSize: 18, fontWeight: '700' },
  grid: { flexDirection: 'row', flexWrap: 'wrap', gap: spacing.sm },
  cell: { width: 112 },
  thumb: { width: 112, height: 84, borderRadius: 8 },
  cellActions: { flexDirection: 'row', gap: 4, marginTop: 4 },
  actions: { flexDirection: 'row', gap: spacing.sm, flexWrap: 'wrap' },
});
