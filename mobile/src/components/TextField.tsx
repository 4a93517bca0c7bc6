import { forwardRef } from 'react';
import { StyleSheet, Text, TextInput, View, type TextInputProps } from 'react-native';

import { spacing, useTheme } from '@/theme';

type Props = Omit<TextInputProps, 'accessibilityLabel'> & {
  label: string;
  error?: string | null;
  hint?: string;
};

export const TextField = forwardRef<TextInput, Props>(function TextField({ label, error, hint, style, multiline, ...rest }, ref) {
  const { colors } = useTheme();
  return (
    <View style={styles.field}>
      <Text style={[styles.label, { color: colors.text }]}>{label}</Text>
      <TextInput
        ref={ref}
        accessibilityLabel={label}
        accessibilityHint={hint}
        aria-invalid={!!error}
        placeholderTextColor={colors.muted}
        multiline={multiline}
        style={[
          styles.input,
          multiline && styles.multiline,
          { color: colors.text, backgroundColor: colors.surface, borderColor: error ? colors.danger : colors.border },
          style,
        ]}
        {...rest}
      />
      {hint && !error ? <Text style={[styles.hint, { color: colors.muted }]}>{hint}</Text> : null}
      {error ? (
        <Text accessibilityRole="alert" style={[styles.hint, { color: colors.danger }]}>
          {error}
        </Text>
      ) : null}
    </View>
  );
});

const styles = StyleSheet.create({
  field: { marginBottom: spacing.md },
  label: { fontSize: 15, fontWeight: '600', marginBottom: spacing.xs },
  input: { minHeight: 44, borderWidth: 1, borderRadius: 8, paddingHorizontal: spacing.md, paddingVertical: spacing.sm, fontSize: 16 },
  multiline: { minHeight: 110, textAlignVertical: 'top' },
  hint: { fontSize: 13, marginTop: spacing.xs },
});
