import { StyleSheet, View, type DimensionValue } from 'react-native';

import { spacing, useTheme } from '@/theme';

export function SkeletonBlock({ width = '100%', height = 16, radius = 6 }: { width?: DimensionValue; height?: number; radius?: number }) {
  const { colors } = useTheme();
  return <View style={{ width, height, borderRadius: radius, backgroundColor: colors.skeleton, marginBottom: spacing.sm }} />;
}

/** Placeholder rows shaped like the list that is loading. */
export function SkeletonList({ rows = 6, testID = 'skeleton' }: { rows?: number; testID?: string }) {
  return (
    <View testID={testID} accessibilityLabel="Loading" accessibilityRole="progressbar" style={styles.list}>
      {Array.from({ length: rows }, (_, i) => (
        <View key={i} style={styles.row}>
          <SkeletonBlock width={88} height={88} radius={10} />
          <View style={styles.lines}>
            <SkeletonBlock width="60%" height={18} />
            <SkeletonBlock width="80%" />
            <SkeletonBlock width="40%" />
          </View>
        </View>
      ))}
    </View>
  );
}

/** Placeholder for a detail page or form. */
export function SkeletonDetail({ testID = 'skeleton' }: { testID?: string }) {
  return (
    <View testID={testID} accessibilityLabel="Loading" accessibilityRole="progressbar" style={styles.list}>
      <SkeletonBlock height={240} radius={12} />
      <SkeletonBlock width="50%" height={24} />
      <SkeletonBlock width="70%" />
      <SkeletonBlock width="90%" />
      <SkeletonBlock width="80%" />
    </View>
  );
}

const styles = StyleSheet.create({
  list: { padding: spacing.lg },
  row: { flexDirection: 'row', gap: spacing.md, marginBottom: spacing.md },
  lines: { flex: 1, paddingTop: spacing.xs },
});
