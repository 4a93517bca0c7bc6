import { memo, useState } from 'react';
import { StyleSheet, View } from 'react-native';

import { isStaff, useAuth } from '@/auth/AuthProvider';
import { Chip } from '@/components/Chip';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState } from '@/components/States';
import { label } from '@/format';
import { spacing, useTheme } from '@/theme';

import { ThreadList } from '../inquiries/ThreadList';
import { ThreadRow } from '../inquiries/ThreadRow';
import { adopterName, type Inquiry } from '../inquiries/useInquiries';
import { useInbox, type InboxFilter } from './useStaff';

const FILTERS: { value: InboxFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'answered', label: 'Answered' },
  { value: 'closed', label: 'Closed' },
];

const InboxRow = memo(function InboxRow({ inquiry }: { inquiry: Inquiry }) {
  const who = adopterName(inquiry);
  const facts = [`Reply: ${label.contact(inquiry.contact_preference)}`];
  if (inquiry.assignee) facts.push(`Assigned to ${inquiry.assignee.display_name}`);
  return <ThreadRow inquiry={inquiry} withWhom={who} writer={(role) => (role === 'staff' ? 'Staff' : who)} facts={facts} />;
});

const renderRow = (inquiry: Inquiry) => <InboxRow inquiry={inquiry} />;

function Inbox({ orgId }: { orgId: string }) {
  const [filter, setFilter] = useState<InboxFilter>('all');
  const list = useInbox(orgId, filter);
  let body;
  if (list.isPending) body = <SkeletonList />;
  else if (list.isError) body = <ErrorState error={list.error} onRetry={list.retry} title="Couldn’t load inquiries" />;
  else if (list.items.length === 0)
    body =
      filter === 'all' ? (
        <EmptyState title="No inquiries yet" message="Messages from adopters will appear here." />
      ) : (
        <EmptyState title={`No ${filter} inquiries`} message="Choose another status to see the rest of the inbox." />
      );
  else body = <ThreadList testID="inquiries-list" list={list} renderRow={renderRow} />;
  return (
    <>
      <View style={styles.filters} accessibilityRole="radiogroup" accessibilityLabel="Show inquiries">
        {FILTERS.map((f) => (
          <Chip key={f.value} kind="radio" label={f.label} selected={filter === f.value} onToggle={() => setFilter(f.value)} accessibilityLabel={`Show ${f.label.toLowerCase()} inquiries`} />
        ))}
      </View>
      <View style={styles.screen}>{body}</View>
    </>
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
  filters: { flexDirection: 'row', flexWrap: 'wrap', paddingHorizontal: spacing.lg, paddingTop: spacing.md },
});
