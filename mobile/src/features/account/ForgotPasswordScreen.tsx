import { useState } from 'react';
import { ScrollView, StyleSheet, Text } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import { Button } from '@/components/Button';
import { PageMessage } from '@/components/PageMessage';
import { TextField } from '@/components/TextField';
import { spacing, useTheme } from '@/theme';

import { toAccount, toBrowse } from './links';
import { useRequestPasswordReset } from './useAccountEmail';
import { validateEmail } from './validation';

/**
 * `/forgot-password`: asks for a reset link. What it says afterwards is the same
 * whether or not the address has an account.
 */
export function ForgotPasswordScreen() {
  const { colors } = useTheme();
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();

  const submit = () => {
    const problem = validateEmail(email);
    setFieldError(problem);
    if (problem) return;
    request.mutate(email.trim(), {
      onError: (error) => {
        if (error instanceof ApiError && error.status === 400) setFieldError(error.fieldErrors.email ?? 'Enter a valid email address.');
      },
    });
  };

  if (request.isSuccess) {
    return (
      <PageMessage title="Check your email" message="If an account uses this address, a link is on its way." testID="forgot-password-sent" alert>
        <Text style={[styles.note, { color: colors.muted }]}>The link works for an hour. If nothing arrives, check your spam folder or ask again.</Text>
        <Button label="Back to sign in" onPress={toAccount} accessibilityHint="Opens Account" />
        <Button label="Browse puppies" variant="secondary" onPress={toBrowse} accessibilityLabel="Go to Browse puppies" />
      </PageMessage>
    );
  }

  const failure = request.isError && !(request.error instanceof ApiError && request.error.status === 400) ? friendlyMessage(request.error) : null;
  return (
    <ScrollView style={{ backgroundColor: colors.background }} contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled" testID="forgot-password">
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        Forgot your password?
      </Text>
      <Text style={[styles.intro, { color: colors.muted }]}>Enter the email address you sign in with, and we’ll send you a link to choose a new password.</Text>
      <TextField
        label="Email"
        value={email}
        onChangeText={setEmail}
        error={fieldError}
        autoCapitalize="none"
        autoComplete="email"
        keyboardType="email-address"
        inputMode="email"
        onSubmitEditing={submit}
      />
      {failure ? (
        <Text accessibilityRole="alert" style={[styles.failure, { color: colors.danger }]}>
          {failure}
        </Text>
      ) : null}
      <Button label="Send me a link" onPress={submit} busy={request.isPending} testID="forgot-password-submit" />
      <Button label="Browse puppies" variant="secondary" onPress={toBrowse} accessibilityLabel="Go to Browse puppies" style={styles.secondary} />
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  content: { padding: spacing.lg, maxWidth: 560, width: '100%', alignSelf: 'center' },
  title: { fontSize: 24, fontWeight: '800', marginBottom: spacing.sm },
  intro: { fontSize: 16, marginBottom: spacing.lg },
  failure: { marginBottom: spacing.md },
  note: { fontSize: 15, textAlign: 'center', maxWidth: 420 },
  secondary: { marginTop: spacing.md },
});
