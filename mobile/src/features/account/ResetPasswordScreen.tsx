import { useState } from 'react';
import { ScrollView, StyleSheet, Text } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import { Button } from '@/components/Button';
import { PageMessage } from '@/components/PageMessage';
import { TextField } from '@/components/TextField';
import { spacing, useTheme } from '@/theme';

import { toAccount, toBrowse, toForgotPassword } from './links';
import { MissingToken } from './MissingToken';
import { useConfirmPasswordReset } from './useAccountEmail';
import { validateNewPassword, type Errors, type NewPasswordInput } from './validation';

/** A reset link that cannot be used (any more): the way to ask for a new one. */
function ExpiredResetLink() {
  return (
    <PageMessage
      title="This link has expired or was used"
      message="A link to choose a new password works once, for an hour. Ask for a new one and use the latest email."
      testID="reset-password-expired"
      alert
    >
      <Button label="Ask for a new link" onPress={toForgotPassword} accessibilityHint="Opens Forgot password" />
      <Button label="Browse puppies" variant="secondary" onPress={toBrowse} accessibilityLabel="Go to Browse puppies" />
    </PageMessage>
  );
}

/** `/reset-password?token=…`: a new password, typed twice, with the token of a reset link. */
export function ResetPasswordScreen({ token }: { token: string | null }) {
  const { colors } = useTheme();
  const reset = useConfirmPasswordReset();
  const [values, setValues] = useState<NewPasswordInput>({ password: '', confirm: '' });
  const [errors, setErrors] = useState<Errors<NewPasswordInput>>({});
  const set = (key: keyof NewPasswordInput) => (text: string) => setValues((v) => ({ ...v, [key]: text }));

  if (!token) {
    return (
      <MissingToken what="choose a new password" testID="reset-password-no-token">
        <Button label="Ask for a new link" onPress={toForgotPassword} accessibilityHint="Opens Forgot password" />
      </MissingToken>
    );
  }

  const badToken = reset.error instanceof ApiError && reset.error.status === 400 && 'token' in reset.error.fieldErrors;
  if (badToken) return <ExpiredResetLink />;

  if (reset.isSuccess) {
    return (
      <PageMessage
        title="Your password is changed"
        message="You’ve been signed out on every device. Sign in with your new password."
        testID="reset-password-done"
        alert
      >
        <Button label="Sign in" onPress={toAccount} accessibilityHint="Opens Account" />
        <Button label="Browse puppies" variant="secondary" onPress={toBrowse} accessibilityLabel="Go to Browse puppies" />
      </PageMessage>
    );
  }

  const submit = () => {
    const found = validateNewPassword(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    reset.mutate(
      { token, new_password: values.password },
      {
        onError: (error) => {
          if (error instanceof ApiError && 'new_password' in error.fieldErrors) setErrors({ password: error.fieldErrors.new_password });
        },
      },
    );
  };

  const fieldProblem = reset.error instanceof ApiError && 'new_password' in reset.error.fieldErrors;
  const failure = reset.isError && !fieldProblem ? friendlyMessage(reset.error) : null;
  return (
    <ScrollView style={{ backgroundColor: colors.background }} contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled" testID="reset-password">
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        Choose a new password
      </Text>
      <Text style={[styles.intro, { color: colors.muted }]}>Once it is changed you are signed out on every device, and sign in again with the new one.</Text>
      <TextField
        label="New password"
        value={values.password}
        onChangeText={set('password')}
        error={errors.password}
        secureTextEntry
        autoCapitalize="none"
        autoComplete="new-password"
        hint="10 to 128 characters, not your email address."
      />
      <TextField
        label="Confirm new password"
        value={values.confirm}
        onChangeText={set('confirm')}
        error={errors.confirm}
        secureTextEntry
        autoCapitalize="none"
        autoComplete="new-password"
        onSubmitEditing={submit}
      />
      {failure ? (
        <Text accessibilityRole="alert" style={[styles.failure, { color: colors.danger }]}>
          {failure}
        </Text>
      ) : null}
      <Button label="Set new password" onPress={submit} busy={reset.isPending} testID="reset-password-submit" />
      <Button label="Browse puppies" variant="secondary" onPress={toBrowse} accessibilityLabel="Go to Browse puppies" style={styles.secondary} />
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  content: { padding: spacing.lg, maxWidth: 560, width: '100%', alignSelf: 'center' },
  title: { fontSize: 24, fontWeight: '800', marginBottom: spacing.sm },
  intro: { fontSize: 16, marginBottom: spacing.lg },
  failure: { marginBottom: spacing.md },
  secondary: { marginTop: spacing.md },
});
