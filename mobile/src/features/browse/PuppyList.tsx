import { useCallback, type ReactElement } from 'react';
import { ActivityIndicator, FlatList, Platform, RefreshControl, StyleSheet, View, type ListRenderItem } from 'react-native';

import { spacing, useTheme } from '@/theme';

import type { PuppySummary } from '../puppy/format';
import { PuppyCard } from './PuppyCard';

type Props = {
  puppies: PuppySummary[];
  onOpen: (id: string) => void;
  onEndReached?: () => void;
  loadingMore?: boolean;
  refreshing: boolean;
  onRefresh: () => void;
  header?: ReactElement | null;
  /** Which puppies carry the "New" badge (none without it). */
  isNew?: (puppy: PuppySummary) => boolean;
  testID?: string;
};

const keyOf = (p: PuppySummary) => p.id;

/** A virtualised, paged list of puppy cards with pull to refresh. */
export function PuppyList({ puppies, onOpen, onEndReached, loadingMore, refreshing, onRefresh, header, isNew, testID = 'puppy-list' }: Props) {
  const { colors } = useTheme();
  const renderItem = useCallback<ListRenderItem<PuppySummary>>(({ item }) => <PuppyCard puppy={item} onOpen={onOpen} isNew={isNew?.(item)} />, [onOpen, isNew]);
  return (
    <FlatList
      testID={testID}
      data={puppies}
      keyExtractor={keyOf}
      renderItem={renderItem}
      // Rows render again when which puppies are new changes.
      extraData={isNew}
      ListHeaderComponent={header}
      onEndReached={onEndReached}
      onEndReachedThreshold={0.6}
      initialNumToRender={8}
      maxToRenderPerBatch={8}
      windowSize={9}
      removeClippedSubviews={Platform.OS === 'android'}
      refreshControl={<RefreshControl refreshing={refreshing} onRefresh={onRefresh} tintColor={colors.primary} />}
      ListFooterComponent={loadingMore ? <ActivityIndicator style={styles.footer} color={colors.primary} accessibilityLabel="Loading more puppies" /> : <View style={styles.footer} />}
      contentContainerStyle={styles.content}
    />
  );
}

const styles = StyleSheet.create({
  content: { paddingTop: spacing.sm },
  footer: { height: 48 },
});
