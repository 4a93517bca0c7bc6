import type { ReactNode } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import { spacing, useTheme } from '@/theme';

type Props = {
  title: string;
  message: string;
  children: ReactNode;
  testID: string;
  /** Announce the message as soon as it appears (something failed just now). */
  alert?: boolean;
};

/** A whole screen that says one thing (a missing page, a failed screen) and offers a way on. */
export function PageMessage({ title, message, children, testID, alert }: Props) {
  const { colors } = useTheme();
  return (
    <View style={[styles.screen, { backgroundColor: colors.background }]} testID={testID}>
      <Text style={styles.emoji} aria-hidden>
        🐾
      </Text>
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header" aria-level={1}>
        {title}
      </Text>
      <Text style={[styles.message, { color: colors.muted }]} accessibilityRole={alert ? 'alert' : undefined}>
        {message}
      </Text>
      {children}
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1, alignItems: 'center', justifyContent: 'center', padding: spacing.xl, gap: spacing.md },
  emoji: { fontSize: 40 },
  title: { fontSize: 24, fontWeight: '800', textAlign: 'center' },
  message: { fontSize: 16, textAlign: 'center', maxWidth: 420 },
});
