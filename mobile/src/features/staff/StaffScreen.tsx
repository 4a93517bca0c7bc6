import { router } from 'expo-router';
import { StyleSheet, View } from 'react-native';

import { isStaff, useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState } from '@/components/States';
import { badgeCount, formatUnread } from '@/format';
import { spacing, useTheme } from '@/theme';

import { PuppyList } from '../browse/PuppyList';
import { useUnread } from '../inquiries/useInquiries';
import { useOrganizationPuppies } from './useStaff';

const openEditor = (id: string) => router.push({ pathname: '/staff/puppy/[id]', params: { id } });

function OrganizationPuppies({ orgId }: { orgId: string }) {
  const list = useOrganizationPuppies(orgId);

  if (list.isPending) return <SkeletonList />;
  if (list.isError) return <ErrorState error={list.error} onRetry={list.retry} title="Couldn’t load your listings" />;
  if (list.items.length === 0) return <EmptyState title="No listings yet" message="Add your first puppy to show it to adopters." />;
  return (
    <PuppyList testID="staff-puppies" puppies={list.items} onOpen={openEditor} onEndReached={list.loadMore} loadingMore={list.loadingMore} refreshing={list.refreshing} onRefresh={list.refresh} />
  );
}

/** The way to the inquiries inbox, with what waits there unread. */
function InboxButton() {
  const unread = useUnread();
  const count = badgeCount(unread.data?.messages);
  const words = formatUnread(unread.data?.messages);
  return (
    <Button
      label={count ? `Inquiries (${count})` : 'Inquiries'}
      variant="secondary"
      onPress={() => router.push('/staff/inquiries')}
      accessibilityLabel={words ? `Open the inquiries inbox, ${words}` : 'Open the inquiries inbox'}
      style={styles.action}
    />
  );
}

export function StaffScreen() {
  const { colors } = useTheme();
  const { user, ready, loadingUser } = useAuth();
  let body;
  if (!ready || loadingUser) body = <SkeletonList />;
  else if (!isStaff(user)) body = <EmptyState title="For shelter staff" message="Sign in with a staff account to manage your organisation’s puppies." />;
  else
    body = (
      <>
        <View style={styles.actions}>
          <Button label="New puppy" onPress={() => router.push('/staff/puppy/new')} accessibilityLabel="Add a new puppy" testID="new-puppy" style={styles.action} />
          <InboxButton />
        </View>
        <OrganizationPuppies orgId={user.organization_id} />
      </>
    );
  return <View style={[styles.screen, { backgroundColor: colors.background }]}>{body}</View>;
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  actions: { flexDirection: 'row', gap: spacing.sm, padding: spacing.lg, paddingBottom: spacing.sm },
  action: { flex: 1 },
});
