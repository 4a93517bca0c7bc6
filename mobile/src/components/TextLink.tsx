import { Pressable, StyleSheet, Text } from 'react-native';

import { spacing, useTheme } from '@/theme';

type Props = { label: string; onPress: () => void; accessibilityHint?: string; testID?: string };

/** A link in running text (to another screen), with a touch target of at least 44 points. */
export function TextLink({ label, onPress, accessibilityHint, testID }: Props) {
  const { colors } = useTheme();
  return (
    <Pressable
      onPress={onPress}
      accessibilityRole="link"
      accessibilityLabel={label}
      accessibilityHint={accessibilityHint}
      testID={testID}
      hitSlop={4}
      style={({ pressed }) => [styles.link, pressed && { opacity: 0.6 }]}
    >
      <Text style={[styles.text, { color: colors.primary }]}>{label}</Text>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  link: { minHeight: 44, justifyContent: 'center', alignSelf: 'center', paddingHorizontal: spacing.sm },
  text: { fontSize: 16, fontWeight: '600', textDecorationLine: 'underline' },
});
