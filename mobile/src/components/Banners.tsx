import { StyleSheet, Text, View } from 'react-native';

import { env } from '@/config/env';
import { useConnectivity } from '@/connectivity/online';
import { spacing, useTheme } from '@/theme';

/** Shown while the device is offline or the API does not answer. */
export function OfflineBanner() {
  const { deviceOnline, apiReachable } = useConnectivity();
  const { colors } = useTheme();
  if (deviceOnline && apiReachable) return null;
  const text = !deviceOnline
    ? 'You’re offline. We’ll refresh when you’re back online.'
    : 'Can’t reach Kennel right now. Retrying…';
  return (
    <View testID="offline-banner" accessibilityRole="alert" accessibilityLiveRegion="polite" style={[styles.banner, { backgroundColor: colors.warning }]}>
      <Text style={{ color: colors.onWarning }}>{text}</Text>
    </View>
  );
}

/** Names the environment on every build that is not production. */
export function EnvironmentBanner() {
  const { colors } = useTheme();
  if (env.environment === 'production') return null;
  return (
    <View testID="environment-banner" style={[styles.banner, { backgroundColor: colors.banner }]}>
      <Text style={{ color: colors.onBanner, fontWeight: '600' }}>{env.environment.toUpperCase()} · {env.apiUrl}</Text>
    </View>
  );
}

const styles = StyleSheet.create({
  banner: { paddingHorizontal: spacing.lg, paddingVertical: spacing.xs + 2 },
});
