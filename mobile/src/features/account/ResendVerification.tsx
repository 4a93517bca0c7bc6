import { StyleSheet, Text, View } from 'react-native';

import { friendlyMessage } from '@/api/errors';
import { Button } from '@/components/Button';
import { spacing, useTheme } from '@/theme';

import { useResendVerification } from './useAccountEmail';

/** "Send the link again": a new confirmation link for the signed-in account, then a pause before the next. */
export function ResendVerification({ label = 'Send the link again' }: { label?: string }) {
  const { colors } = useTheme();
  const { send, sending, sent, error, waiting } = useResendVerification();
  return (
    <View style={styles.box}>
      <Button
        label={label}
        variant="secondary"
        onPress={send}
        busy={sending}
        disabled={waiting}
        accessibilityHint="Sends a new confirmation link to your email address"
        testID="resend-verification"
      />
      {sent && !sending ? (
        <Text accessibilityRole="alert" style={[styles.note, { color: colors.text }]}>
          Sent — check your inbox
        </Text>
      ) : null}
      {error ? (
        <Text accessibilityRole="alert" style={[styles.note, { color: colors.danger }]}>
          {friendlyMessage(error)}
        </Text>
      ) : null}
    </View>
  );
}

/** On Account while the address is not confirmed: why, and the way to get a new link. */
export function VerifyEmailNotice({ email }: { email: string }) {
  const { colors } = useTheme();
  return (
    <View style={[styles.notice, { backgroundColor: colors.warning }]} testID="verify-email-notice">
      <Text style={[styles.title, { color: colors.onWarning }]} accessibilityRole="header">
        Confirm your email address
      </Text>
      <Text style={{ color: colors.onWarning }}>We sent a link to {email}. Follow it to confirm that the address is yours.</Text>
      <ResendVerification />
    </View>
  );
}

/**
 * Where a message to or from a shelter is written, while the address is not confirmed:
 * the API sends messages only from confirmed addresses. Says so before anything is
 * typed, or (`refused`) after the API refused a message, as an alert.
 */
export function ConfirmToSendNotice({ email, refused = false }: { email?: string; refused?: boolean }) {
  const { colors } = useTheme();
  return (
    <View style={[styles.notice, { backgroundColor: colors.warning }]} testID="confirm-to-send">
      <Text style={[styles.title, { color: colors.onWarning }]} accessibilityRole={refused ? 'alert' : 'header'}>
        Confirm your email address to send messages
      </Text>
      <Text style={{ color: colors.onWarning }}>
        Follow the link we emailed to {email ?? 'you'} when you signed up, then send your message. Browsing and favourites work meanwhile.
      </Text>
      <ResendVerification />
    </View>
  );
}

const styles = StyleSheet.create({
  box: { gap: spacing.sm, alignSelf: 'stretch' },
  note: { fontSize: 15, textAlign: 'center' },
  notice: { borderRadius: 12, padding: spacing.md, gap: spacing.sm },
  title: { fontSize: 17, fontWeight: '700' },
});
