import { router } from 'expo-router';
import { memo } from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';

import { badgeCount, formatUnread, formatWhen, label } from '@/format';
import { spacing, useTheme } from '@/theme';

import type { Inquiry, Side } from './useInquiries';

/** Opens a conversation, from either inbox (or a link: /inquiry/<id>). */
export const openThread = (id: string) => router.push({ pathname: '/inquiry/[id]', params: { id } });

type Props = {
  inquiry: Inquiry;
  /** Who the conversation is with, after the puppy's name: the shelter, or the adopter. */
  withWhom: string;
  /** How the latest message's writer is named: "You" on one's own side. */
  writer: (authorRole: Side) => string;
  /** More facts after the status and time ("Reply: Email", "Assigned to Sam"). */
  facts?: string[];
};

/**
 * One conversation in an inbox: the puppy and who it is with, its status, when its
 * latest message came and who wrote it, the start of that message and how many
 * messages wait to be read. Pressing it opens the thread.
 */
export const ThreadRow = memo(function ThreadRow({ inquiry, withWhom, writer, facts = [] }: Props) {
  const { colors } = useTheme();
  const title = `${inquiry.puppy.name} · ${withWhom}`;
  const status = label.inquiryStatus(inquiry.status);
  const when = formatWhen(inquiry.last_message.at);
  const preview = `${writer(inquiry.last_message.author_role)}: ${inquiry.last_message.excerpt}`;
  const unread = formatUnread(inquiry.unread_count);
  const badge = badgeCount(inquiry.unread_count);
  const details = [status, when, ...facts].join(' · ');
  return (
    <Pressable
      onPress={() => openThread(inquiry.id)}
      accessibilityRole="button"
      accessibilityLabel={`${inquiry.puppy.name} with ${withWhom}, ${[status, unread, when, ...facts].filter(Boolean).join(', ')}. ${preview}`}
      accessibilityHint="Opens the conversation"
      testID="thread-row"
      style={({ pressed }) => [styles.row, { backgroundColor: colors.surface, borderColor: unread ? colors.primary : colors.border }, pressed && styles.pressed]}
    >
      <View style={styles.top}>
        <Text style={[styles.title, { color: colors.text }]}>{title}</Text>
        {badge ? (
          <View style={[styles.badge, { backgroundColor: colors.primary }]} testID="thread-unread">
            <Text style={[styles.badgeText, { color: colors.onPrimary }]}>{badge}</Text>
          </View>
        ) : null}
      </View>
      <Text style={{ color: colors.muted }}>{details}</Text>
      <Text style={{ color: colors.text, fontWeight: unread ? '600' : '400' }} numberOfLines={2}>
        {preview}
      </Text>
    </Pressable>
  );
});

const styles = StyleSheet.create({
  row: { marginHorizontal: spacing.lg, marginBottom: spacing.sm, padding: spacing.md, borderRadius: 12, borderWidth: 1, gap: 2 },
  pressed: { opacity: 0.7 },
  top: { flexDirection: 'row', alignItems: 'center', gap: spacing.sm },
  title: { flex: 1, fontWeight: '700', fontSize: 16 },
  badge: { minWidth: 24, paddingHorizontal: spacing.sm, paddingVertical: 2, borderRadius: 12, alignItems: 'center' },
  badgeText: { fontWeight: '700', fontSize: 13 },
});
