import { ActivityIndicator, Pressable, StyleSheet, Text, type StyleProp, type ViewStyle } from 'react-native';

import { spacing, useTheme } from '@/theme';

type Props = {
  label: string;
  onPress: () => void;
  variant?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  busy?: boolean;
  /** Defaults to the visible label. */
  accessibilityLabel?: string;
  accessibilityHint?: string;
  testID?: string;
  style?: StyleProp<ViewStyle>;
};

export function Button({ label, onPress, variant = 'primary', disabled, busy, accessibilityLabel, accessibilityHint, testID, style }: Props) {
  const { colors } = useTheme();
  const background = variant === 'primary' ? colors.primary : variant === 'danger' ? colors.danger : 'transparent';
  const foreground = variant === 'primary' ? colors.onPrimary : variant === 'danger' ? colors.onDanger : colors.primary;
  const inactive = disabled || busy;
  return (
    <Pressable
      onPress={onPress}
      disabled={inactive}
      accessibilityRole="button"
      accessibilityLabel={accessibilityLabel ?? label}
      accessibilityHint={accessibilityHint}
      // aria-* rather than accessibilityState: the web reads only these.
      aria-disabled={!!inactive}
      aria-busy={!!busy}
      testID={testID}
      style={({ pressed }) => [
        styles.base,
        { backgroundColor: background, borderColor: variant === 'secondary' ? colors.primary : background },
        pressed && styles.pressed,
        inactive && styles.inactive,
        style,
      ]}
    >
      {busy ? <ActivityIndicator color={foreground} /> : <Text style={[styles.label, { color: foreground }]}>{label}</Text>}
    </Pressable>
  );
}

const styles = StyleSheet.create({
  base: {
    minHeight: 44,
    paddingHorizontal: spacing.lg,
    paddingVertical: spacing.sm,
    borderRadius: 10,
    borderWidth: 1,
    alignItems: 'center',
    justifyContent: 'center',
  },
  label: { fontSize: 16, fontWeight: '600' },
  pressed: { opacity: 0.8 },
  inactive: { opacity: 0.5 },
});
