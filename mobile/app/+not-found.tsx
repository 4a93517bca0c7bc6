import { Link } from 'expo-router';
import { StyleSheet } from 'react-native';

import { PageMessage } from '@/components/PageMessage';
import { spacing, useTheme } from '@/theme';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

/** Any address the app has no screen for. */
export default function NotFound() {
  const { colors } = useTheme();
  return (
    <PageMessage title="Page not found" message="We couldn’t find this page. It may have moved, or the link may be mistyped." testID="not-found">
      <Link href="/" replace accessibilityRole="link" accessibilityLabel="Go to Browse puppies" style={[styles.link, { color: colors.onPrimary, backgroundColor: colors.primary }]}>
        Browse puppies
      </Link>
    </PageMessage>
  );
}

const styles = StyleSheet.create({
  link: { fontSize: 16, fontWeight: '600', paddingHorizontal: spacing.lg, paddingVertical: spacing.md, borderRadius: 10, overflow: 'hidden', minHeight: 44 },
});
