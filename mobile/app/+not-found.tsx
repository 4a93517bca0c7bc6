import { Link } from 'expo-router';
import { StyleSheet, Text, View } from 'react-native';

import { spacing, useTheme } from '@/theme';

/** Any address the app has no screen for. */
export default function NotFound() {
  const { colors } = useTheme();
  return (
    <View style={[styles.screen, { backgroundColor: colors.background }]} testID="not-found">
      <Text style={styles.emoji} aria-hidden>
        🐾
      </Text>
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header" aria-level={1}>
        Page not found
      </Text>
      <Text style={[styles.message, { color: colors.muted }]}>We couldn’t find this page. It may have moved, or the link may be mistyped.</Text>
      <Link href="/" replace accessibilityRole="link" accessibilityLabel="Go to Browse puppies" style={[styles.link, { color: colors.onPrimary, backgroundColor: colors.primary }]}>
        Browse puppies
      </Link>
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1, alignItems: 'center', justifyContent: 'center', padding: spacing.xl, gap: spacing.md },
  emoji: { fontSize: 40 },
  title: { fontSize: 24, fontWeight: '800', textAlign: 'center' },
  message: { fontSize: 16, textAlign: 'center', maxWidth: 420 },
  link: { fontSize: 16, fontWeight: '600', paddingHorizontal: spacing.lg, paddingVertical: spacing.md, borderRadius: 10, overflow: 'hidden', minHeight: 44 },
});
