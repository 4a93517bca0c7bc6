import { router } from 'expo-router';
import { Pressable, StyleSheet, Text } from 'react-native';

import { spacing, useTheme } from '@/theme';

/**
 * The back control of pushed screens. A screen opened from a link still has Browse
 * under it (the root stack starts with the tabs), and when there is nothing to go
 * back to it opens Browse.
 */
export function HeaderBack({ tintColor }: { tintColor?: string }) {
  const { colors } = useTheme();
  const color = tintColor ?? colors.primary;
  return (
    <Pressable
      onPress={() => (router.canGoBack() ? router.back() : router.replace('/'))}
      accessibilityRole="button"
      accessibilityLabel="Back"
      hitSlop={8}
      testID="header-back"
      style={({ pressed }) => [styles.button, pressed && { opacity: 0.6 }]}
    >
      <Text style={[styles.text, { color }]}>‹ Back</Text>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  button: { minHeight: 44, minWidth: 44, justifyContent: 'center', paddingHorizontal: spacing.sm },
  text: { fontSize: 17, fontWeight: '600' },
});
