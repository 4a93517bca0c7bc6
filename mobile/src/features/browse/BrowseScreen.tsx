import { router } from 'expo-router';
import { useCallback, useEffect, useState } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import { Button } from '@/components/Button';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState } from '@/components/States';
import { TextField } from '@/components/TextField';
import { formatDateTime } from '@/format';
import { spacing, useTheme } from '@/theme';

import type { PuppySummary } from '../puppy/format';
import { listedAfter, useOpenedSearch, type OpenedSearch } from '../searches/OpenedSearch';
import { SaveSearch } from '../searches/SaveSearch';
import { countActive, EMPTY_FILTERS, savedQuery, type Filters } from './filters';
import { FiltersPanel } from './FiltersPanel';
import { PuppyList } from './PuppyList';
import { usePuppies } from './usePuppies';

export function openPuppy(id: string) {
  router.push({ pathname: '/puppy/[id]', params: { id } });
}

/** Which saved search the list shows, and since when puppies count as new. */
function OpenedBanner({ opened }: { opened: OpenedSearch }) {
  const { colors } = useTheme();
  const since = formatDateTime(opened.newSince);
  return (
    <View style={[styles.banner, { borderColor: colors.border, backgroundColor: colors.surface }]} testID="opened-search">
      <Text style={[styles.bannerTitle, { color: colors.text }]} accessibilityRole="header">
        {opened.name}
      </Text>
      <Text style={{ color: colors.muted }}>
        {opened.firstVisit ? `Puppies listed since you saved this search (${since}) are marked New.` : `Puppies listed since your last visit (${since}) are marked New.`}
      </Text>
    </View>
  );
}

export function BrowseScreen({ initialFilters = EMPTY_FILTERS }: { initialFilters?: Filters }) {
  const { colors } = useTheme();
  const { opened } = useOpenedSearch();
  const [filters, setFilters] = useState<Filters>(() => opened?.filters ?? initialFilters);
  const [search, setSearch] = useState(() => (opened?.filters ?? initialFilters).q);
  const [showFilters, setShowFilters] = useState(false);
  // A saved search opened from its screen replaces the filters, once per opening.
  const [shownKey, setShownKey] = useState(opened?.key);
  if (opened && opened.key !== shownKey) {
    setShownKey(opened.key);
    setFilters(opened.filters);
    setSearch(opened.filters.q);
    setShowFilters(false);
  }
  const list = usePuppies(filters);
  // The opened search is on screen until the filters change.
  const showing = opened && opened.query === savedQuery(filters) ? opened : null;
  const newSince = showing?.newSince;
  const isNew = useCallback((p: PuppySummary) => (newSince ? listedAfter(p, newSince) : false), [newSince]);

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
        isNew={newSince ? isNew : undefined}
      />
    );

  return (
    <View style={[styles.screen, { backgroundColor: colors.background }]}>
      {toolbar}
      <SaveSearch key={savedQuery(filters)} filters={filters} saved={!!showing} />
      {showing ? <OpenedBanner opened={showing} /> : null}
      {body}
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  toolbar: { flexDirection: 'row', alignItems: 'flex-end', gap: spacing.sm, paddingHorizontal: spacing.lg, paddingTop: spacing.md },
  search: { flex: 1 },
  filtersButton: { marginBottom: spacing.md },
  banner: { marginHorizontal: spacing.lg, marginTop: spacing.xs, padding: spacing.md, borderWidth: StyleSheet.hairlineWidth, borderRadius: 12, gap: spacing.xs },
  bannerTitle: { fontSize: 16, fontWeight: '700' },
});
