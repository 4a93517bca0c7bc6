import { useCallback, type ReactElement } from 'react';
import { ActivityIndicator, FlatList, RefreshControl, StyleSheet, View, type ListRenderItem } from 'react-native';

import type { PagedList } from '@/api/usePagedList';
import { spacing, useTheme } from '@/theme';

import type { Inquiry } from './useInquiries';

type Props = {
  list: PagedList<Inquiry>;
  renderRow: (inquiry: Inquiry) => ReactElement;
  testID: string;
};

const keyOf = (inquiry: Inquiry) => inquiry.id;

/** An inbox: conversations page by page as the person scrolls, pull to refresh. */
export function ThreadList({ list, renderRow, testID }: Props) {
  const { colors } = useTheme();
  const renderItem = useCallback<ListRenderItem<Inquiry>>(({ item }) => renderRow(item), [renderRow]);
  return (
    <FlatList
      testID={testID}
      data={list.items}
      keyExtractor={keyOf}
      renderItem={renderItem}
      onEndReached={list.loadMore}
      onEndReachedThreshold={0.6}
      refreshControl={<RefreshControl refreshing={list.refreshing} onRefresh={list.refresh} tintColor={colors.primary} />}
      ListFooterComponent={
        list.loadingMore ? <ActivityIndicator style={styles.footer} color={colors.primary} accessibilityLabel="Loading more conversations" /> : <View style={styles.footer} />
      }
      contentContainerStyle={styles.content}
    />
  );
}

const styles = StyleSheet.create({
  content: { paddingTop: spacing.sm },
  footer: { minHeight: 48 },
});
