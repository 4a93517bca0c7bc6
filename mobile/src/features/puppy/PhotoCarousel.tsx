import { Image } from 'expo-image';
import { useState } from 'react';
import { FlatList, StyleSheet, Text, View, useWindowDimensions, type NativeScrollEvent, type NativeSyntheticEvent } from 'react-native';

import { spacing, useTheme } from '@/theme';

import { photoAlt, variantUrl, type PuppyDetail } from './format';

const MAX_WIDTH = 720;

/** Swipeable photos, one screen wide, with a position indicator. */
export function PhotoCarousel({ puppy }: { puppy: PuppyDetail }) {
  const { colors } = useTheme();
  const { width: windowWidth } = useWindowDimensions();
  const width = Math.min(windowWidth, MAX_WIDTH);
  const height = Math.round(width * 0.75);
  const [index, setIndex] = useState(0);

  if (puppy.photos.length === 0) {
    return (
      <View style={[styles.empty, { width, minHeight: height, backgroundColor: colors.skeleton }]} accessible accessibilityRole="image" accessibilityLabel={`No photos of ${puppy.name} yet`}>
        <Text style={{ color: colors.muted }}>No photos yet</Text>
      </View>
    );
  }

  const onScroll = (e: NativeSyntheticEvent<NativeScrollEvent>) => {
    const next = Math.round(e.nativeEvent.contentOffset.x / width);
    if (next !== index) setIndex(next);
  };

  return (
    <View testID="photo-carousel">
      <FlatList
        data={puppy.photos}
        keyExtractor={(p) => p.id}
        horizontal
        pagingEnabled
        showsHorizontalScrollIndicator={false}
        onScroll={onScroll}
        scrollEventThrottle={32}
        style={{ width }}
        renderItem={({ item, index: i }) => (
          <Image
            source={{ uri: variantUrl(item, width > 640 ? 1280 : 640) ?? undefined }}
            placeholder={{ uri: variantUrl(item, 320) ?? undefined }}
            style={{ width, height }}
            contentFit="cover"
            cachePolicy="memory-disk"
            accessibilityLabel={`${photoAlt(puppy, item)} (photo ${i + 1} of ${puppy.photos.length})`}
            alt={photoAlt(puppy, item)}
          />
        )}
      />
      {puppy.photos.length > 1 ? (
        <View style={styles.dots} accessible accessibilityRole="text" accessibilityLabel={`Photo ${index + 1} of ${puppy.photos.length}`}>
          {puppy.photos.map((p, i) => (
            <View key={p.id} style={[styles.dot, { backgroundColor: i === index ? colors.primary : colors.border }]} />
          ))}
        </View>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  empty: { alignItems: 'center', justifyContent: 'center' },
  dots: { flexDirection: 'row', justifyContent: 'center', gap: 6, paddingVertical: spacing.sm },
  dot: { width: 8, height: 8, borderRadius: 4 },
});
