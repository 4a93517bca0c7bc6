import { router } from 'expo-router';
import { useState } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import type { components } from '@/api/schema';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { TextField } from '@/components/TextField';
import { formatCount } from '@/format';
import { spacing, useTheme } from '@/theme';

import { useAskAssistant } from './usePuppy';

export type ChatMessage = components['schemas']['Message'];

export const MAX_MESSAGES = 20;
export const MAX_CHARS = 1000;

/** The conversation sent to the API: the latest messages, the person's last. */
export function conversationFor(history: ChatMessage[], question: string): ChatMessage[] {
  return [...history, { role: 'user' as const, content: question }].slice(-MAX_MESSAGES);
}

type Entry = ChatMessage & { refused?: boolean };

/** How long until a limit resets, in words: "30 seconds", "5 minutes", "3 hours". */
export function waitInWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return unit(Math.max(1, seconds), 'second');
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), 'minute');
  return unit(Math.ceil(seconds / 3600), 'hour');
}

type Props = { puppyId: string; puppyName: string };

/**
 * "Ask about this puppy": a chat with the assistant, only rendered when its flag is
 * on. The API answers signed-in people only, so signed-out people are invited to
 * sign in instead of being shown an error.
 */
export function AssistantPanel(props: Props) {
  const { colors } = useTheme();
  const { token } = useAuth();
  if (!token) {
    return (
      <View testID="assistant-panel" style={[styles.panel, { borderColor: colors.border, backgroundColor: colors.surface }]}>
        <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
          Ask about {props.puppyName}
        </Text>
        <View testID="assistant-sign-in" style={styles.signIn}>
          <Text style={{ color: colors.text }}>Sign in to ask about {props.puppyName}</Text>
          <Text style={{ color: colors.muted }}>The assistant answers questions about the puppy, its breed and adoption for people with a Kennel account.</Text>
          <Button
            label="Sign in"
            variant="secondary"
            onPress={() => router.navigate('/account')}
            accessibilityLabel={`Sign in to ask about ${props.puppyName}`}
          />
        </View>
      </View>
    );
  }
  // Keyed by the session so a new sign-in starts a new conversation.
  return <Conversation key={token} {...props} />;
}

function Conversation({ puppyId, puppyName }: Props) {
  const { colors } = useTheme();
  const [history, setHistory] = useState<Entry[]>([]);
  const [draft, setDraft] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);

  const mutation = useAskAssistant(puppyId, {
    onSuccess: (reply) => setHistory((h) => [...h, { role: 'assistant', content: reply.message.content, refused: reply.refused }]),
  });

  const send = () => {
    const question = draft.trim();
    if (!question) return setInputError('Type a question first.');
    if (question.length > MAX_CHARS) return setInputError(`Keep questions under ${formatCount(MAX_CHARS)} characters.`);
    setInputError(null);
    const messages = conversationFor(
      history.map(({ role, content }) => ({ role, content })),
      question,
    );
    setHistory((h) => [...h, { role: 'user', content: question }]);
    setDraft('');
    mutation.mutate(messages);
  };

  const error = mutation.error instanceof ApiError ? mutation.error : null;
  const unavailable = error?.code === 'feature_unavailable' || (error?.status === 503 && !error.problem);
  const limited = error?.status === 429;

  return (
    <View testID="assistant-panel" style={[styles.panel, { borderColor: colors.border, backgroundColor: colors.surface }]}>
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        Ask about {puppyName}
      </Text>
      {history.map((m, i) => (
        <View key={i} style={[styles.bubble, m.role === 'user' ? { alignSelf: 'flex-end', backgroundColor: colors.primary } : { alignSelf: 'flex-start', backgroundColor: colors.background }]}>
          <Text style={{ color: m.role === 'user' ? colors.onPrimary : colors.text, fontStyle: m.refused ? 'italic' : 'normal' }}>{m.content}</Text>
        </View>
      ))}
      {mutation.isPending ? <Text style={{ color: colors.muted }}>Thinking…</Text> : null}
      {unavailable ? (
        <View testID="assistant-unavailable" accessibilityRole="alert" style={[styles.notice, { backgroundColor: colors.warning }]}>
          <Text style={{ color: colors.onWarning, fontWeight: '700' }}>Feature temporarily unavailable</Text>
          <Text style={{ color: colors.onWarning }}>The assistant is resting. Everything else works; try again later or contact the shelter.</Text>
        </View>
      ) : limited ? (
        <View testID="assistant-limited" accessibilityRole="alert" style={[styles.notice, { backgroundColor: colors.warning }]}>
          <Text style={{ color: colors.onWarning, fontWeight: '700' }}>Question limit reached</Text>
          <Text style={{ color: colors.onWarning }}>
            {error?.retryAfter
              ? `You have asked a lot of questions. You can ask again in ${waitInWords(error.retryAfter)}.`
              : 'You have asked a lot of questions. Please wait a little before asking again.'}
          </Text>
        </View>
      ) : mutation.isError ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {friendlyMessage(mutation.error)}
        </Text>
      ) : null}
      <TextField
        label="Your question"
        value={draft}
        onChangeText={setDraft}
        error={inputError}
        placeholder={`Is ${puppyName} good with small children?`}
        maxLength={MAX_CHARS + 50}
        onSubmitEditing={send}
      />
      <Button label="Ask" onPress={send} busy={mutation.isPending} accessibilityLabel="Ask the assistant" />
    </View>
  );
}

const styles = StyleSheet.create({
  panel: { borderWidth: 1, borderRadius: 12, padding: spacing.md, gap: spacing.sm },
  title: { fontSize: 18, fontWeight: '700' },
  bubble: { maxWidth: '85%', borderRadius: 12, paddingHorizontal: spacing.md, paddingVertical: spacing.sm },
  notice: { borderRadius: 8, padding: spacing.md, gap: spacing.xs },
  signIn: { gap: spacing.sm, alignItems: 'flex-start' },
});
