import { router } from 'expo-router';
import { useState } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { TextField } from '@/components/TextField';
import { TextLink } from '@/components/TextLink';
import { spacing, useTheme } from '@/theme';

import { hasFilters, savedQuery, type Filters } from '../browse/filters';
import { PushOffer } from '../notifications/PushOffer';
import { defaultName, useBreedNames } from './describe';
import { useSaveSearch } from './useSavedSearches';
import { validateName } from './validation';

export const openSavedSearches = () => router.push('/saved-searches');

type Failure = { name?: string; other?: string; limit?: boolean };

/** What a refused save says, and where: on the name field, or under the form. */
function failureOf(error: unknown): Failure {
  if (error instanceof ApiError) {
    if (error.code === 'saved_search_name_taken') return { name: friendlyMessage(error) };
    if (error.code === 'saved_search_limit') return { other: friendlyMessage(error), limit: true };
    const fields = error.fieldErrors;
    if (fields.name || fields.query) {
      return { name: fields.name, other: fields.query ? `These filters cannot be saved: ${fields.query}` : undefined };
    }
  }
  return { other: friendlyMessage(error) };
}

function SaveForm({ filters, onClose, onSaved }: { filters: Filters; onClose: () => void; onSaved: (name: string) => void }) {
  const { colors } = useTheme();
  const names = useBreedNames([filters]);
  // Null until edited: the suggestion follows the breed names, which may arrive after the form opened.
  const [name, setName] = useState<string | null>(null);
  const value = name ?? defaultName(filters, names);
  const [failure, setFailure] = useState<Failure>({});
  const save = useSaveSearch();

  const submit = () => {
    if (save.isPending) return;
    const problem = validateName(value);
    setFailure(problem ? { name: problem } : {});
    if (problem) return;
    save.mutate(
      { name: value.trim(), query: savedQuery(filters) },
      { onSuccess: (search) => onSaved(search.name), onError: (error) => setFailure(failureOf(error)) },
    );
  };

  return (
    <View style={[styles.form, { borderColor: colors.border, backgroundColor: colors.surface }]} testID="save-search-form">
      <TextField
        label="Name of this search"
        value={value}
        onChangeText={setName}
        error={failure.name}
        hint="Up to 80 characters."
        returnKeyType="done"
        onSubmitEditing={submit}
        testID="save-search-name"
      />
      {failure.other ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {failure.other}
        </Text>
      ) : null}
      {failure.limit ? <TextLink label="Your saved searches" onPress={openSavedSearches} accessibilityHint="Opens your saved searches" /> : null}
      <View style={styles.row}>
        <Button label="Cancel" variant="secondary" onPress={onClose} accessibilityLabel="Cancel saving this search" style={styles.grow} />
        <Button label="Save" onPress={submit} busy={save.isPending} accessibilityLabel="Save this search" testID="save-search-submit" style={styles.grow} />
      </View>
    </View>
  );
}

/**
 * Browse's way to its saved searches, and to save the filters it shows. Signed out,
 * it asks the person to sign in, as favourites do.
 */
export function SaveSearch({ filters, saved = false }: { filters: Filters; saved?: boolean }) {
  const { colors } = useTheme();
  const { token } = useAuth();
  const [mode, setMode] = useState<'idle' | 'form' | 'saved'>('idle');
  const [savedName, setSavedName] = useState('');
  const filtered = hasFilters(filters);

  if (!token) {
    if (!filtered) return null;
    return (
      <View style={styles.bar}>
        <Button label="Sign in to save this search" variant="secondary" onPress={() => router.navigate('/account')} style={styles.grow} testID="save-search-sign-in" />
      </View>
    );
  }
  if (mode === 'form') {
    return (
      <SaveForm
        filters={filters}
        onClose={() => setMode('idle')}
        onSaved={(name) => {
          setSavedName(name);
          setMode('saved');
        }}
      />
    );
  }
  const bar = (
    <View style={styles.bar}>
      {mode === 'saved' ? (
        <Text style={[styles.grow, { color: colors.text }]} accessibilityRole="alert" testID="search-saved">
          Saved as “{savedName}”.
        </Text>
      ) : filtered && !saved ? (
        <Button label="Save search" variant="secondary" onPress={() => setMode('form')} accessibilityHint="Asks for a name for these filters" testID="save-search" />
      ) : (
        <View style={styles.grow} />
      )}
      <TextLink label="Saved searches" onPress={openSavedSearches} accessibilityHint="Opens your saved searches" testID="saved-searches-link" />
    </View>
  );
  if (mode !== 'saved') return bar;
  // Just saved: the moment to offer notifications about its new matches.
  return (
    <>
      {bar}
      <PushOffer />
    </>
  );
}

const styles = StyleSheet.create({
  bar: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', gap: spacing.sm, paddingHorizontal: spacing.lg },
  form: { marginHorizontal: spacing.lg, marginBottom: spacing.sm, padding: spacing.md, borderWidth: 1, borderRadius: 12, gap: spacing.sm },
  row: { flexDirection: 'row', gap: spacing.sm },
  grow: { flexGrow: 1, flexShrink: 1 },
});
