import { router } from 'expo-router';
import { useEffect, useRef, useState } from 'react';
import { Platform, ScrollView, StyleSheet, Text, View } from 'react-native';

import { friendlyMessage, THREAD_ERRORS } from '@/api/errors';
import { isStaff, useAuth, type Me } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { SkeletonDetail } from '@/components/Skeleton';
import { EmptyState, ErrorState, SignInState } from '@/components/States';
import { TextField } from '@/components/TextField';
import { formatDateTime, label } from '@/format';
import { spacing, useTheme } from '@/theme';

import { ConfirmToSendNotice } from '../account/ResendVerification';
import { isEmailUnverified, MESSAGE_INPUT_LIMIT, messageCounter, validateMessage } from './message';
import {
  adopterName,
  isMissingThread,
  speaksForOrganization,
  useChangeThread,
  useMarkRead,
  useReplyDraft,
  useThread,
  type Inquiry,
  type Side,
} from './useInquiries';

/** Back to the inbox the thread was opened from, or (opened from a link) to the person's inbox. */
function backToInbox(staff: boolean) {
  router.dismissTo(staff ? '/staff/inquiries' : '/messages');
}

type Message = { id: string; author_role: Side; message: string; created_at: string };

/** The inquiry that started the thread, then the replies, oldest first. */
const messagesOf = (inquiry: Inquiry): Message[] => [
  { id: inquiry.id, author_role: 'adopter', message: inquiry.message, created_at: inquiry.created_at },
  ...inquiry.replies,
];

function MessageBubble({ message, who, mine }: { message: Message; who: string; mine: boolean }) {
  const { colors } = useTheme();
  const when = formatDateTime(message.created_at);
  return (
    <View
      accessible
      accessibilityLabel={`${who}, ${when}: ${message.message}`}
      testID="thread-message"
      style={[
        styles.bubble,
        mine ? styles.mine : styles.theirs,
        { backgroundColor: colors.surface, borderColor: mine ? colors.primary : colors.border },
      ]}
    >
      <Text style={{ color: colors.muted }}>
        <Text style={{ color: colors.text, fontWeight: '700' }}>{who}</Text> · {when}
      </Text>
      <Text style={[styles.body, { color: colors.text }]}>{message.message}</Text>
    </View>
  );
}

/** Close or reopen the thread and take it on, for the organisation's side. */
function StaffControls({ inquiry, user }: { inquiry: Inquiry; user: Me }) {
  const { colors } = useTheme();
  const change = useChangeThread(inquiry.id);
  const closed = inquiry.status === 'closed';
  const mine = inquiry.assignee?.id === user.id;
  return (
    <View style={styles.controls} testID="thread-staff-controls">
      <View style={styles.actions}>
        <Button
          label={closed ? 'Reopen' : 'Close'}
          variant="secondary"
          onPress={() => change.mutate({ status: closed ? 'open' : 'closed' })}
          disabled={change.isPending}
          accessibilityLabel={closed ? 'Reopen this conversation' : 'Close this conversation'}
          style={styles.action}
        />
        {user.role === 'staff' ? (
          <Button
            label={mine ? 'Unassign me' : 'Assign to me'}
            variant="secondary"
            onPress={() => change.mutate({ assignee: mine ? null : user.id })}
            disabled={change.isPending}
            accessibilityLabel={mine ? 'Unassign this conversation from me' : 'Assign this conversation to me'}
            style={styles.action}
          />
        ) : null}
      </View>
      {change.isError ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }} testID="thread-change-error">
          {friendlyMessage(change.error, THREAD_ERRORS)}
        </Text>
      ) : null}
    </View>
  );
}

/**
 * The reply being written: checked before it goes, kept (with Retry) when sending fails.
 * While the person's address is not confirmed, the notice about it (with a new link)
 * stands instead of the box; if the API refuses a reply for that all the same, the
 * notice comes above the box, the draft kept.
 */
function ReplyBox({ id, note, user }: { id: string; note: string | null; user: Me }) {
  const { colors } = useTheme();
  const draft = useReplyDraft(id);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    const found = validateMessage(draft.text, 'Write your reply first.');
    setProblem(found);
    if (!found) draft.send();
  };
  const refused = isEmailUnverified(draft.error);
  const failed = !!draft.error && !draft.sending;
  const notice =
    refused || !user.email_verified ? (
      <View style={styles.replyNotice}>
        <ConfirmToSendNotice email={user.email} refused={refused} />
      </View>
    ) : null;
  if (notice && !draft.text) {
    return (
      <View style={[styles.reply, { borderColor: colors.border }]} testID="reply-box">
        {note ? <Text style={{ color: colors.muted }}>{note}</Text> : null}
        {notice}
      </View>
    );
  }
  return (
    <View style={[styles.reply, { borderColor: colors.border }]} testID="reply-box">
      {note ? <Text style={{ color: colors.muted }}>{note}</Text> : null}
      {notice}
      <TextField
        label="Your reply"
        value={draft.text}
        onChangeText={(text) => {
          draft.setText(text);
          if (problem) setProblem(null);
        }}
        editable={!draft.sending}
        multiline
        maxLength={MESSAGE_INPUT_LIMIT}
        error={problem}
        hint={messageCounter(draft.text)}
        placeholder="Write a message"
        style={styles.replyInput}
      />
      {failed && !refused ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }} testID="reply-failed">
          Not sent. {friendlyMessage(draft.error, THREAD_ERRORS)}
        </Text>
      ) : null}
      <Button
        label={failed ? 'Retry' : 'Send'}
        onPress={submit}
        busy={draft.sending}
        accessibilityLabel={failed ? 'Retry sending your reply' : 'Send reply'}
        testID="reply-send"
      />
    </View>
  );
}

function Conversation({ inquiry, user }: { inquiry: Inquiry; user: Me }) {
  const { colors } = useTheme();
  const organizationSide = speaksForOrganization(user, inquiry);
  const shelter = inquiry.organization.name;
  const adopter = adopterName(inquiry);
  const scroll = useRef<ScrollView>(null);

  // Opening the thread reads it: once when it opens, and again whenever a new
  // message arrives while it is open. Admins read without a mark of their own.
  const { mutate: markRead } = useMarkRead(inquiry.id);
  const opened = useRef(false);
  const unread = inquiry.unread_count > 0;
  useEffect(() => {
    if (user.role === 'admin' || (opened.current && !unread)) return;
    opened.current = true;
    markRead();
  }, [markRead, unread, user.role]);

  const ownRole: Side = organizationSide ? 'staff' : 'adopter';
  const nameOf = (role: Side) => (organizationSide ? (role === 'staff' ? 'Staff' : adopter) : role === 'staff' ? shelter : 'You');
  const status = label.inquiryStatus(inquiry.status);
  const withWhom = organizationSide ? `${adopter}${inquiry.adopter ? ` · ${inquiry.adopter.email}` : ''}` : shelter;
  const facts = [`Status: ${status}`];
  if (organizationSide) {
    facts.push(`Reply: ${label.contact(inquiry.contact_preference)}`);
    facts.push(inquiry.assignee ? `Assigned to ${inquiry.assignee.display_name}` : 'Not assigned');
  }
  const note = !organizationSide && inquiry.status === 'closed' ? 'The shelter closed this conversation. Writing to them opens it again.' : null;

  return (
    <ScrollView
      ref={scroll}
      style={{ backgroundColor: colors.background }}
      contentContainerStyle={styles.content}
      keyboardShouldPersistTaps="handled"
      automaticallyAdjustKeyboardInsets={Platform.OS === 'ios'}
      // The latest messages and the reply box are what the person came for.
      onContentSizeChange={() => scroll.current?.scrollToEnd({ animated: false })}
      testID="thread"
    >
      <View style={styles.header}>
        <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
          {inquiry.puppy.name}
        </Text>
        <Text style={{ color: colors.text }}>with {withWhom}</Text>
        <Text style={{ color: colors.muted }} testID="thread-facts">
          {facts.join(' · ')}
        </Text>
      </View>
      {organizationSide ? <StaffControls inquiry={inquiry} user={user} /> : null}
      <View style={styles.messages} testID="thread-messages">
        {messagesOf(inquiry).map((m) => (
          <MessageBubble key={m.id} message={m} who={nameOf(m.author_role)} mine={m.author_role === ownRole} />
        ))}
      </View>
      <ReplyBox id={inquiry.id} note={note} user={user} />
    </ScrollView>
  );
}

/** A conversation between an adopter and a shelter: its messages, oldest first, and a reply box. */
export function ThreadScreen({ id }: { id: string }) {
  const { colors } = useTheme();
  const { ready, token, user, loadingUser } = useAuth();
  const query = useThread(id);
  const staff = isStaff(user);

  let body;
  if (!ready || (token && (loadingUser || query.isPending))) body = <SkeletonDetail />;
  else if (token && user && query.data) body = <Conversation inquiry={query.data.inquiry} user={user} />;
  else if (!token || !user)
    body = <SignInState title="Sign in to read this conversation" message="Your conversations with shelters are in Messages once you are signed in." />;
  else if (query.isError && isMissingThread(query.error))
    // Trying again cannot bring back a thread that is not there (an old or mistyped link).
    body = (
      <EmptyState
        testID="thread-not-found"
        title="Conversation not found"
        message="This conversation does not exist, or it is not yours to read."
        actionLabel={staff ? 'Back to inquiries' : 'Back to messages'}
        onAction={() => backToInbox(staff)}
      />
    );
  else body = <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Couldn’t load this conversation" />;
  return <View style={[styles.screen, { backgroundColor: colors.background }]}>{body}</View>;
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  content: { padding: spacing.lg, gap: spacing.md, maxWidth: 720, width: '100%', alignSelf: 'center' },
  header: { gap: 2 },
  title: { fontSize: 24, fontWeight: '800' },
  controls: { gap: spacing.sm },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: spacing.sm },
  action: { flexGrow: 1 },
  messages: { gap: spacing.sm },
  bubble: { maxWidth: '88%', padding: spacing.md, borderRadius: 12, borderWidth: 1, gap: spacing.xs },
  mine: { alignSelf: 'flex-end' },
  theirs: { alignSelf: 'flex-start' },
  body: { fontSize: 16, lineHeight: 22 },
  reply: { borderTopWidth: StyleSheet.hairlineWidth, paddingTop: spacing.md },
  replyInput: { minHeight: 80 },
  replyNotice: { marginVertical: spacing.sm },
});
