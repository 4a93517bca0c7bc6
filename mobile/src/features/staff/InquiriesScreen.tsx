import { memo } from 'react';
import { FlatList, StyleSheet, Text, View } from 'react-native';

import type { components } from '@/api/schema';
import { isStaff, useAuth } from '@/auth/AuthProvider';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState } from '@/components/States';
import { formatDate, label } from '@/format';
import { spacing, useTheme } from '@/theme';

import { useInbox } from './useStaff';

type Inquiry = components['schemas']['Inquiry'];

const InquiryRow = memo(function InquiryRow({ inquiry }: { inquiry: Inquiry }) {
  const { colors } = useTheme();
  const when = formatDate(inquiry.created_at);
  const who = inquiry.adopter?.display_name ?? 'Deleted account';
  return (
    <View
      style={[styles.row, { backgroundColor: colors.surface, borderColor: colors.border }]}
      accessible
      accessibilityLabel={`${who} about ${inquiry.puppy.name}, ${label.inquiryStatus(inquiry.status)}, ${when}: ${inquiry.message}`}
      testID="inquiry-row"
    >
      <Text style={{ color: colors.text, fontWeight: '700' }}>
        {inquiry.puppy.name} · {who}
      </Text>
      <Text style={{ color: colors.muted }}>
        {label.inquiryStatus(inquiry.status)} · {when} · Reply: {label.contact(inquiry.contact_preference)}
      </Text>
      <Text style={{ color: colors.text }} numberOfLines={3}>
        {inquiry.message}
      </Text>
    </View>
  );
});

function Inbox({ orgId }: { orgId: string }) {
  const list = useInbox(orgId);
  if (list.isPending) return <SkeletonList />;
  if (list.isError) return <ErrorState error={list.error} onRetry={list.retry} title="Couldn’t load inquiries" />;
  if (list.items.length === 0) return <EmptyState title="No inquiries yet" message="Messages from adopters will appear here." />;
  return (
    <FlatList
      testID="inquiries-list"
      data={list.items}
      keyExtractor={(i) => i.id}
      renderItem={({ item }) => <InquiryRow inquiry={item} />}
      onEndReached={list.loadMore}
      refreshing={list.refreshing}
      onRefresh={list.refresh}
      contentContainerStyle={{ paddingVertical: spacing.sm }}
    />
  );
}

export function InquiriesScreen() {
  const { colors } = useTheme();
  const { user, ready, loadingUser } = useAuth();
  let body;
  if (!ready || loadingUser) body = <SkeletonList />;
  else if (!isStaff(user)) body = <EmptyState title="For shelter staff" message="Sign in with a staff account to read your organisation’s inquiries." />;
  else body = <Inbox orgId={user.organization_id} />;
  return <View style={[styles.screen, { backgroundColor: colors.background }]}>{body}</View>;
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  row: { marginHorizontal: spacing.lg, marginBottom: spacing.sm, padding: spacing.md, borderRadius: 12, borderWidth: StyleSheet.hairlineWidth, gap: 2 },
});
