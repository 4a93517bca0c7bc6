import { router } from 'expo-router';
import { memo, useCallback } from 'react';
import { StyleSheet, View } from 'react-native';

import { useAuth } from '@/auth/AuthProvider';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState, SignInState } from '@/components/States';
import { useTheme } from '@/theme';

import { ThreadList } from './ThreadList';
import { ThreadRow } from './ThreadRow';
import { useMyInquiries, type Inquiry, type Side } from './useInquiries';

const MyThreadRow = memo(function MyThreadRow({ inquiry }: { inquiry: Inquiry }) {
  const shelter = inquiry.organization.name;
  const writer = useCallback((role: Side) => (role === 'staff' ? shelter : 'You'), [shelter]);
  return <ThreadRow inquiry={inquiry} withWhom={shelter} writer={writer} />;
});

const renderRow = (inquiry: Inquiry) => <MyThreadRow inquiry={inquiry} />;

/** Messages: the signed-in person's conversations with shelters, newest activity first. */
export function MessagesScreen() {
  const { colors } = useTheme();
  const { token, ready } = useAuth();
  const list = useMyInquiries();

  let body;
  if (!ready) body = <SkeletonList />;
  else if (!token) body = <SignInState title="Your conversations with shelters" message="Sign in to read the shelters’ replies and write back." />;
  else if (list.isPending) body = <SkeletonList />;
  else if (list.isError) body = <ErrorState error={list.error} onRetry={list.retry} title="Couldn’t load your messages" />;
  else if (list.items.length === 0)
    body = (
      <EmptyState
        title="No messages yet"
        message="Contact a shelter from a puppy’s page; your conversation and their replies appear here."
        actionLabel="Browse puppies"
        onAction={() => router.navigate('/')}
      />
    );
  else
    body = <ThreadList testID="messages-list" list={list} renderRow={renderRow} />;
  return <View style={[styles.screen, { backgroundColor: colors.background }]}>{body}</View>;
}

const styles = StyleSheet.create({ screen: { flex: 1 } });
