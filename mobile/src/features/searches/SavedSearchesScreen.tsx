import { router } from 'expo-router';
import { useEffect, useMemo, useState } from 'react';
import { ScrollView, StyleSheet, Text, View } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState, SignInState } from '@/components/States';
import { TextField } from '@/components/TextField';
import { formatDate } from '@/format';
import { spacing, useTheme } from '@/theme';

import { fromQuery } from '../browse/filters';
import { describeFilters, useBreedNames, type BreedNames } from './describe';
import { useOpenedSearch } from './OpenedSearch';
import { useDeleteSavedSearch, useOpenSavedSearch, useSavedSearches, useUpdateSavedSearch, type SavedSearch } from './useSavedSearches';
import { validateName } from './validation';

const GONE = 'This search was deleted, perhaps on another device.';

const isGone = (error: unknown) => error instanceof ApiError && error.status === 404;

/** What a failed change to a search says. */
function changeFailure(error: unknown): string {
  return isGone(error) ? GONE : friendlyMessage(error);
}

function RenameForm({ search, onDone }: { search: SavedSearch; onDone: () => void }) {
  const { colors } = useTheme();
  const [name, setName] = useState(search.name);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const update = useUpdateSavedSearch();
  const submit = () => {
    if (update.isPending) return;
    const found = validateName(name);
    setProblem(found);
    setFailure(null);
    if (found) return;
    if (name.trim() === search.name) return onDone();
    update.mutate(
      { id: search.id, name: name.trim() },
      {
        onSuccess: onDone,
        onError: (error) => {
          if (error instanceof ApiError && (error.code === 'saved_search_name_taken' || error.fieldErrors.name)) {
            setProblem(error.fieldErrors.name ?? friendlyMessage(error));
          } else setFailure(changeFailure(error));
        },
      },
    );
  };
  return (
    <View style={styles.rename}>
      <TextField label="New name" value={name} onChangeText={setName} error={problem} hint="Up to 80 characters." returnKeyType="done" onSubmitEditing={submit} autoFocus />
      {failure ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {failure}
        </Text>
      ) : null}
      <View style={styles.actions}>
        <Button label="Cancel" variant="secondary" onPress={onDone} accessibilityLabel="Keep the name" style={styles.action} />
        <Button label="Save name" onPress={submit} busy={update.isPending} accessibilityLabel={`Save the new name of ${search.name}`} style={styles.action} />
      </View>
    </View>
  );
}

function SavedSearchRow({ search, names, onGone }: { search: SavedSearch; names: BreedNames; onGone: (name: string) => void }) {
  const { colors } = useTheme();
  const { show } = useOpenedSearch();
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const open = useOpenSavedSearch();
  const update = useUpdateSavedSearch();
  const remove = useDeleteSavedSearch();
  const summary = useMemo(() => describeFilters(fromQuery(search.query), names), [search.query, names]);
  const failed = open.error ?? update.error ?? remove.error;
  // The list is asked again and the row goes: the screen says why.
  const gone = isGone(failed);
  useEffect(() => {
    if (gone) onGone(search.name);
  }, [gone, onGone, search.name]);
  const when = search.last_opened_at ? `Last opened ${formatDate(search.last_opened_at)}` : `Saved ${formatDate(search.created_at)}, not opened yet`;

  // One failure is shown at a time: the last action's.
  const resetAll = () => {
    open.reset();
    update.reset();
    remove.reset();
  };

  const onOpen = () => {
    if (open.isPending) return;
    resetAll();
    open.mutate(search.id, {
      onSuccess: ({ search: visited, new_since }) => {
        show(visited, new_since);
        router.dismissTo('/');
      },
    });
  };

  return (
    <View style={[styles.row, { borderColor: colors.border, backgroundColor: colors.surface }]} testID="saved-search">
      <View style={styles.titleRow}>
        <Text style={[styles.name, { color: colors.text }]} accessibilityRole="header">
          {search.name}
        </Text>
        {search.paused ? (
          <Text style={[styles.paused, { color: colors.onWarning, backgroundColor: colors.warning }]} testID="paused">
            Paused
          </Text>
        ) : null}
      </View>
      <Text style={{ color: colors.text }}>{summary}</Text>
      <Text style={{ color: colors.muted }}>{when}</Text>
      {mode === 'rename' ? <RenameForm search={search} onDone={() => setMode('view')} /> : null}
      {mode === 'delete' ? (
        <View style={[styles.confirm, { borderColor: colors.danger }]}>
          <Text style={{ color: colors.text }} accessibilityRole="alert">
            Delete “{search.name}”? This cannot be undone.
          </Text>
          <View style={styles.actions}>
            <Button label="Keep it" variant="secondary" onPress={() => setMode('view')} accessibilityLabel={`Keep ${search.name}`} style={styles.action} />
            <Button
              label="Yes, delete"
              variant="danger"
              busy={remove.isPending}
              onPress={() => {
                if (!remove.isPending) remove.mutate(search.id);
              }}
              accessibilityLabel={`Yes, delete ${search.name}`}
              style={styles.action}
            />
          </View>
        </View>
      ) : null}
      {mode === 'view' ? (
        <View style={styles.actions}>
          <Button label="Open" onPress={onOpen} busy={open.isPending} accessibilityLabel={`Open ${search.name}`} accessibilityHint="Shows its puppies on Browse" style={styles.action} />
          <Button
            label="Rename"
            variant="secondary"
            onPress={() => {
              resetAll();
              setMode('rename');
            }} accessibilityLabel={`Rename ${search.name}`} style={styles.action} />
          <Button
            label={search.paused ? 'Resume' : 'Pause'}
            variant="secondary"
            busy={update.isPending}
            onPress={() => {
              if (update.isPending) return;
              resetAll();
              update.mutate({ id: search.id, paused: !search.paused });
            }}
            accessibilityLabel={search.paused ? `Resume ${search.name}` : `Pause ${search.name}`}
            style={styles.action}
          />
          <Button
            label="Delete"
            variant="secondary"
            onPress={() => {
              resetAll();
              setMode('delete');
            }}
            accessibilityLabel={`Delete ${search.name}`}
            style={styles.action}
          />
        </View>
      ) : null}
      {failed && mode !== 'rename' ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {changeFailure(failed)}
        </Text>
      ) : null}
    </View>
  );
}

export function SavedSearchesScreen() {
  const { colors } = useTheme();
  const { token, ready } = useAuth();
  const searches = useSavedSearches();
  const items = useMemo(() => searches.data?.items ?? [], [searches.data]);
  const names = useBreedNames(useMemo(() => items.map((s) => fromQuery(s.query)), [items]));
  const [gone, setGone] = useState<string | null>(null);

  let body;
  if (!ready) body = <SkeletonList />;
  else if (!token) body = <SignInState title="Come back to your searches" message="Sign in to save the filters you browse with and see which puppies are new each time." />;
  else if (searches.isPending) body = <SkeletonList />;
  else if (searches.isError) body = <ErrorState error={searches.error} onRetry={() => void searches.refetch()} title="Couldn’t load your saved searches" />;
  else if (items.length === 0)
    body = (
      <EmptyState
        title="No saved searches yet"
        message="On Browse, choose filters or type a search, then tap “Save search”. Open it here later to see the puppies listed since your last visit."
        actionLabel="Browse puppies"
        onAction={() => router.dismissTo('/')}
      />
    );
  else
    body = (
      <ScrollView contentContainerStyle={styles.content} testID="saved-searches">
        {items.map((s) => (
          <SavedSearchRow key={s.id} search={s} names={names} onGone={setGone} />
        ))}
      </ScrollView>
    );
  return (
    <View style={[styles.screen, { backgroundColor: colors.background }]}>
      {gone && token ? (
        <Text accessibilityRole="alert" style={[styles.gone, { color: colors.danger }]}>
          “{gone}” was deleted, perhaps on another device.
        </Text>
      ) : null}
      {body}
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  gone: { paddingHorizontal: spacing.lg, paddingTop: spacing.md, maxWidth: 640, width: '100%', alignSelf: 'center' },
  content: { padding: spacing.lg, gap: spacing.md, maxWidth: 640, width: '100%', alignSelf: 'center' },
  row: { borderWidth: StyleSheet.hairlineWidth, borderRadius: 12, padding: spacing.md, gap: spacing.xs },
  titleRow: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', gap: spacing.sm },
  name: { fontSize: 18, fontWeight: '700', flexShrink: 1 },
  paused: { fontSize: 13, fontWeight: '700', paddingHorizontal: spacing.sm, paddingVertical: 2, borderRadius: 10, overflow: 'hidden' },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: spacing.sm, marginTop: spacing.sm },
  action: { flexGrow: 1 },
  rename: { marginTop: spacing.sm },
  confirm: { borderWidth: 1, borderRadius: 12, padding: spacing.md, gap: spacing.sm, marginTop: spacing.sm },
});
