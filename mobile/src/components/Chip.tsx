import { memo } from 'react';
import { Pressable, StyleSheet, Text } from 'react-native';

import { spacing, useTheme } from '@/theme';

type Props = {
  label: string;
  selected: boolean;
  onToggle: () => void;
  accessibilityLabel?: string;
  /** A chip in a single-choice group is a radio button, otherwise a checkbox. */
  kind?: 'checkbox' | 'radio';
  testID?: string;
};

export const Chip = memo(function Chip({ label, selected, onToggle, accessibilityLabel, kind = 'checkbox', testID }: Props) {
  const { colors } = useTheme();
  return (
    <Pressable
      onPress={onToggle}
      accessibilityRole={kind}
      accessibilityLabel={accessibilityLabel ?? label}
      // aria-checked rather than accessibilityState: the web reads only this.
      aria-checked={selected}
      testID={testID}
      style={[
        styles.chip,
        { borderColor: selected ? colors.primary : colors.border, backgroundColor: selected ? colors.primary : colors.surface },
      ]}
    >
      <Text style={{ color: selected ? colors.onPrimary : colors.text }}>{label}</Text>
    </Pressable>
  );
});

const styles = StyleSheet.create({
  chip: {
    minHeight: 36,
    justifyContent: 'center',
    paddingHorizontal: spacing.md,
    paddingVertical: spacing.xs,
    borderRadius: 18,
    borderWidth: 1,
    marginRight: spacing.sm,
    marginBottom: spacing.sm,
  },
});
