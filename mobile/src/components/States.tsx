import { router } from 'expo-router';
import { StyleSheet, Text, View } from 'react-native';

import { friendlyMessage } from '@/api/errors';
import { spacing, useTheme } from '@/theme';

import { Button } from './Button';

type ErrorProps = { error: unknown; onRetry: () => void; title?: string; testID?: string };

/** A failed load: what happened, in words, and a way to try again. */
export function ErrorState({ error, onRetry, title = 'Couldn’t load this', testID = 'error-state' }: ErrorProps) {
  const { colors } = useTheme();
  return (
    <View style={styles.box} testID={testID} accessibilityRole="alert">
      <Text style={[styles.title, { color: colors.text }]}>{title}</Text>
      <Text style={[styles.message, { color: colors.muted }]}>{friendlyMessage(error)}</Text>
      <Button label="Retry" onPress={onRetry} accessibilityLabel="Retry loading" />
    </View>
  );
}

type EmptyProps = { title: string; message?: string; actionLabel?: string; onAction?: () => void; testID?: string };

export function EmptyState({ title, message, actionLabel, onAction, testID = 'empty-state' }: EmptyProps) {
  const { colors } = useTheme();
  return (
    <View style={styles.box} testID={testID}>
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        {title}
      </Text>
      {message ? <Text style={[styles.message, { color: colors.muted }]}>{message}</Text> : null}
      {actionLabel && onAction ? <Button label={actionLabel} onPress={onAction} /> : null}
    </View>
  );
}

/** What a signed-out person sees where their own things would be: why to sign in, and the way to Account. */
export function SignInState({ title, message }: { title: string; message: string }) {
  return <EmptyState title={title} message={message} actionLabel="Sign in" onAction={() => router.navigate('/account')} testID="sign-in-state" />;
}

const styles = StyleSheet.create({
  box: { padding: spacing.xl, alignItems: 'center', gap: spacing.md },
  title: { fontSize: 18, fontWeight: '700', textAlign: 'center' },
  message: { fontSize: 15, textAlign: 'center' },
});
