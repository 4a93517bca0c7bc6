import { router } from 'expo-router';
import { useEffect, useState } from 'react';
import { StyleSheet, View } from 'react-native';

import { Button } from '@/components/Button';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState } from '@/components/States';
import { TextField } from '@/components/TextField';
import { spacing, useTheme } from '@/theme';

import { countActive, EMPTY_FILTERS, type Filters } from './filters';
import { FiltersPanel } from './FiltersPanel';
import { PuppyList } from './PuppyList';
import { usePuppies } from './usePuppies';

export function openPuppy(id: string) {
  router.push({ pathname: '/puppy/[id]', params: { id } });
}

export function BrowseScreen({ initialFilters = EMPTY_FILTERS }: { initialFilters?: Filters }) {
  const { colors } = useTheme();
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const [search, setSearch] = useState(initialFilters.q);
  const [showFilters, setShowFilters] = useState(false);
  const list = usePuppies(filters);

  // Search as the person types, once they pause.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === search ? f : { ...f, q: search })), 350);
    return () => clearTimeout(t);
  }, [search]);

  const puppies = list.items;

  const active = countActive(filters);
  const toolbar = (
    <View style={styles.toolbar}>
      <View style={styles.search}>
        <TextField label="Search puppies" value={search} onChangeText={setSearch} placeholder="Name, breed, colour…" autoCorrect={false} returnKeyType="search" testID="search-input" />
      </View>
      <Button
        label={active ? `Filters (${active})` : 'Filters'}
        variant="secondary"
        onPress={() => setShowFilters(true)}
        accessibilityLabel={active ? `Filters, ${active} active` : 'Filters'}
        testID="filters-button"
        style={styles.filtersButton}
      />
    </View>
  );

  if (showFilters) {
    return <FiltersPanel value={{ ...filters, q: search }} onChange={setFilters} onClose={() => setShowFilters(false)} />;
  }

  let body;
  if (list.isPending) body = <SkeletonList />;
  else if (list.isError && puppies.length === 0) body = <ErrorState error={list.error} onRetry={list.retry} title="Couldn’t load puppies" />;
  else if (puppies.length === 0)
    body = (
      <EmptyState
        title="No puppies match"
        message="Try fewer filters or a larger distance."
        actionLabel={active || filters.q ? 'Clear filters' : undefined}
        onAction={() => {
          setSearch('');
          setFilters(EMPTY_FILTERS);
        }}
      />
    );
  else
    body = (
      <PuppyList
        puppies={puppies}
        onOpen={openPuppy}
        onEndReached={list.loadMore}
        loadingMore={list.loadingMore}
        refreshing={list.refreshing}
        onRefresh={list.refresh}
      />
    );

  return (
    <View style={[styles.screen, { backgroundColor: colors.background }]}>
      {toolbar}
      {body}
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  toolbar: { flexDirection: 'row', alignItems: 'flex-end', gap: spacing.sm, paddingHorizontal: spacing.lg, paddingTop: spacing.md },
  search: { flex: 1 },
  filtersButton: { marginBottom: spacing.md },
});
