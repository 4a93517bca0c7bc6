import { router } from 'expo-router';
import { useState } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import { ApiError, friendlyMessage, INQUIRY_ERRORS } from '@/api/errors';
import type { components } from '@/api/schema';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { Chip } from '@/components/Chip';
import { TextField } from '@/components/TextField';
import { spacing, useTheme } from '@/theme';

import { ConfirmToSendNotice } from '../account/ResendVerification';
import { isEmailUnverified, MESSAGE_INPUT_LIMIT, messageCounter, validateMessage } from '../inquiries/message';
import { useSendInquiry } from './usePuppy';

type ContactPreference = components['schemas']['ContactPreference'];
const PREFERENCES: { value: ContactPreference; label: string; answer: string }[] = [
  { value: 'email', label: 'Email', answer: 'They will answer by email.' },
  { value: 'phone', label: 'Phone', answer: 'They will answer by phone.' },
  { value: 'app', label: 'In the app', answer: 'They will answer in Messages.' },
];
export const validateInquiry = (message: string) => validateMessage(message, 'Write a message to the shelter.');

/**
 * "Contact shelter": shows the message as sent at once, and takes it back if sending
 * fails, with its text kept and a Retry that sends it again under the same
 * Idempotency-Key (so a message whose answer was lost reaches the shelter once).
 *
 * Only a confirmed address can send: while the account's is not, the form says so
 * (with a new link) instead of letting the person write first. If the API refuses
 * all the same (the account loaded here was out of date), the same notice comes with
 * the draft kept under it.
 */
export function InquiryForm({ puppyId, puppyName, organizationName }: { puppyId: string; puppyName: string; organizationName: string }) {
  const { colors } = useTheme();
  const { user } = useAuth();
  const [message, setMessage] = useState('');
  const [preference, setPreference] = useState<ContactPreference>('email');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);

  const inquiry = useSendInquiry(puppyId, {
    onMutate: () => {
      setFailure(null);
      setRefused(false);
      setSent(true);
    },
    onError: (error) => {
      setSent(false);
      if (isEmailUnverified(error)) {
        setRefused(true);
        return;
      }
      const fields = error instanceof ApiError ? error.fieldErrors : {};
      if (fields.message) setFieldError(fields.message);
      setFailure(friendlyMessage(error, INQUIRY_ERRORS));
    },
    onSuccess: () => setMessage(''),
  });
  const unconfirmed = refused || (!!user && !user.email_verified);

  const submit = () => {
    const problem = validateInquiry(message);
    setFieldError(problem);
    if (problem) return;
    inquiry.send({ message: message.trim(), contact_preference: preference });
  };

  if (sent) {
    return (
      <View testID="inquiry-sent" accessibilityRole="alert" style={[styles.box, { borderColor: colors.border }]}>
        <Text style={{ color: colors.text, fontWeight: '600' }}>
          {inquiry.sending ? 'Sending your message…' : `Message sent to ${organizationName}.`}
        </Text>
        <Text style={{ color: colors.muted }}>{PREFERENCES.find((p) => p.value === preference)?.answer}</Text>
        {inquiry.sending ? null : (
          <>
            <Button label="Open Messages" variant="secondary" onPress={() => router.navigate('/messages')} accessibilityHint="Your conversations with shelters" />
            <Button
              label="Write another message"
              variant="secondary"
              onPress={() => setSent(false)}
              accessibilityLabel={`Write another message about ${puppyName}`}
            />
          </>
        )}
      </View>
    );
  }

  const notice = unconfirmed ? <ConfirmToSendNotice email={user?.email} refused={refused} /> : null;
  // Nothing written yet: the notice instead of a form that could not send.
  if (notice && !message) return notice;

  return (
    <View style={styles.stack}>
      {notice}
      <View testID="inquiry-form" style={[styles.box, { borderColor: colors.border }]}>
        <TextField
          label={`Message about ${puppyName}`}
          value={message}
          onChangeText={setMessage}
          multiline
          maxLength={MESSAGE_INPUT_LIMIT}
          error={fieldError}
          hint={messageCounter(message)}
          placeholder="Tell the shelter about your home and ask your questions."
        />
        <Text style={{ color: colors.text, fontWeight: '600', marginBottom: spacing.xs }}>How should they reply?</Text>
        <View style={styles.chips}>
          {PREFERENCES.map((p) => (
            <Chip key={p.value} kind="radio" label={p.label} selected={preference === p.value} onToggle={() => setPreference(p.value)} accessibilityLabel={`Reply by ${p.label.toLowerCase()}`} />
          ))}
        </View>
        {failure ? (
          <Text accessibilityRole="alert" style={{ color: colors.danger, marginBottom: spacing.sm }} testID="inquiry-failed">
            Not sent. {failure}
          </Text>
        ) : null}
        <Button
          label={failure ? 'Retry' : 'Send message'}
          onPress={submit}
          accessibilityLabel={failure ? 'Retry sending your message to the shelter' : 'Send message to the shelter'}
        />
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  stack: { gap: spacing.md },
  box: { borderWidth: 1, borderRadius: 12, padding: spacing.md, gap: spacing.xs },
  chips: { flexDirection: 'row', flexWrap: 'wrap' },
});
