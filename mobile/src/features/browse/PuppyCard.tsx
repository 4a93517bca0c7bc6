import { Image } from 'expo-image';
import { memo } from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';

import { formatAge, formatDistance, formatFee, label } from '@/format';
import { spacing, useTheme } from '@/theme';

import { breedLabel, photoAlt, variantUrl, type PuppySummary } from '../puppy/format';

type Props = {
  puppy: PuppySummary;
  onOpen: (id: string) => void;
  /** Listed since the person last opened the saved search they are looking at. */
  isNew?: boolean;
};

/** How the "New" badge is read out (as part of the card's name). */
export const NEW_LABEL = 'new since your last visit';

export const THUMBNAIL = 88;

/** One row of a puppy list. Memoised: rows re-render only when their puppy changes. */
export const PuppyCard = memo(function PuppyCard({ puppy, onOpen, isNew = false }: Props) {
  const { colors } = useTheme();
  const uri = variantUrl(puppy.photo, 320);
  const breed = breedLabel(puppy);
  const age = formatAge(puppy.age_months);
  const distance = formatDistance(puppy.distance_km);
  const status = puppy.status !== 'available' ? label.status(puppy.status) : null;
  const fee = formatFee(puppy.adoption_fee);
  const description = [puppy.name, isNew ? NEW_LABEL : null, breed, age, label.sex(puppy.sex), distance, status, fee].filter(Boolean).join(', ');
  return (
    <Pressable
      onPress={() => onOpen(puppy.id)}
      accessibilityRole="button"
      accessibilityLabel={description}
      accessibilityHint="Opens the puppy's details"
      testID="puppy-card"
      style={({ pressed }) => [styles.card, { backgroundColor: colors.surface, borderColor: colors.border }, pressed && { opacity: 0.85 }]}
    >
      {uri ? (
        <Image
          source={{ uri }}
          style={styles.photo}
          contentFit="cover"
          cachePolicy="memory-disk"
          recyclingKey={puppy.id}
          transition={120}
          accessibilityLabel={photoAlt(puppy, puppy.photo)}
          alt={photoAlt(puppy, puppy.photo)}
        />
      ) : (
        <View style={[styles.photo, { backgroundColor: colors.skeleton }]} accessible accessibilityRole="image" accessibilityLabel={`No photo of ${puppy.name} yet`} />
      )}
      <View style={styles.text}>
        <View style={styles.nameRow}>
          <Text style={[styles.name, { color: colors.text }]} numberOfLines={1}>
            {puppy.name}
          </Text>
          {isNew ? (
            <Text style={[styles.badge, { backgroundColor: colors.primary, color: colors.onPrimary }]} testID="new-badge">
              New
            </Text>
          ) : null}
        </View>
        <Text style={{ color: colors.text }} numberOfLines={1}>
          {breed}
        </Text>
        <Text style={{ color: colors.muted }} numberOfLines={1}>
          {[age, label.sex(puppy.sex), puppy.organization.city].join(' · ')}
        </Text>
        <Text style={{ color: colors.primary }} numberOfLines={1}>
          {[distance, status, fee].filter(Boolean).join(' · ')}
        </Text>
      </View>
    </Pressable>
  );
});

const styles = StyleSheet.create({
  card: {
    flexDirection: 'row',
    gap: spacing.md,
    padding: spacing.sm,
    marginHorizontal: spacing.lg,
    marginBottom: spacing.sm,
    borderRadius: 12,
    borderWidth: StyleSheet.hairlineWidth,
  },
  photo: { width: THUMBNAIL, height: THUMBNAIL, borderRadius: 10 },
  text: { flex: 1, justifyContent: 'center', gap: 2 },
  nameRow: { flexDirection: 'row', alignItems: 'center', gap: spacing.sm },
  name: { fontSize: 18, fontWeight: '700', flexShrink: 1 },
  badge: { fontSize: 13, fontWeight: '700', paddingHorizontal: spacing.sm, paddingVertical: 2, borderRadius: 10, overflow: 'hidden' },
});
