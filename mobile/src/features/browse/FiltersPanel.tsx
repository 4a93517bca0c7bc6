import * as Location from 'expo-location';
import { useMemo, useState } from 'react';
import { ScrollView, StyleSheet, Text, View } from 'react-native';

import { Button } from '@/components/Button';
import { Chip } from '@/components/Chip';
import { TextField } from '@/components/TextField';
import { spacing, useTheme } from '@/theme';

import { label, radiusChoices } from '@/format';

import { matchCities } from './cities';
import { AGES, COATS, effectiveRadiusKm, effectiveSort, EMPTY_FILTERS, GOOD_WITH, SEXES, SIZES, sortChoices, STATUSES, toggle, type Filters } from './filters';
import { useBreeds } from './usePuppies';

type Props = { value: Filters; onChange: (next: Filters) => void; onClose: () => void };

function Group({ title, single, children }: { title: string; single?: boolean; children: React.ReactNode }) {
  const { colors } = useTheme();
  return (
    <View style={styles.group} accessibilityLabel={title} accessibilityRole={single ? 'radiogroup' : undefined}>
      <Text style={[styles.groupTitle, { color: colors.text }]} accessibilityRole="header">
        {title}
      </Text>
      <View style={styles.chips}>{children}</View>
    </View>
  );
}

export function FiltersPanel({ value, onChange, onClose }: Props) {
  const { colors } = useTheme();
  const [draft, setDraft] = useState<Filters>(value);
  const [breedText, setBreedText] = useState('');
  const [cityText, setCityText] = useState('');
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);
  const breeds = useBreeds();

  const breedMatches = useMemo(() => {
    const all = breeds.data?.items ?? [];
    const needle = breedText.trim().toLowerCase();
    const chosen = all.filter((b) => draft.breeds.includes(b.slug));
    const matches = needle ? all.filter((b) => b.name.toLowerCase().includes(needle) && !draft.breeds.includes(b.slug)).slice(0, 8) : [];
    return [...chosen, ...matches];
  }, [breeds.data, breedText, draft.breeds]);
  const cities = matchCities(cityText);

  const useMyLocation = async () => {
    setLocationError(null);
    setLocating(true);
    try {
      const permission = await Location.requestForegroundPermissionsAsync();
      if (permission.status !== 'granted') {
        setLocationError('Location permission was not given. Type a city instead.');
        return;
      }
      const position = await Location.getCurrentPositionAsync({ accuracy: Location.Accuracy.Balanced });
      setDraft((d) => ({ ...d, near: { label: 'My location', latitude: position.coords.latitude, longitude: position.coords.longitude } }));
    } catch {
      setLocationError('Your location is not available right now. Type a city instead.');
    } finally {
      setLocating(false);
    }
  };

  return (
    <ScrollView style={[styles.panel, { backgroundColor: colors.background }]} contentContainerStyle={styles.content} testID="filters-panel">
      <Group title="Breed">
        <View style={styles.full}>
          <TextField label="Find a breed" value={breedText} onChangeText={setBreedText} placeholder="e.g. Beagle" autoCorrect={false} />
        </View>
        {breedMatches.map((b) => (
          <Chip
            key={b.slug}
            label={b.name}
            selected={draft.breeds.includes(b.slug)}
            onToggle={() => setDraft((d) => ({ ...d, breeds: toggle(d.breeds, b.slug) }))}
            accessibilityLabel={`Breed ${b.name}`}
          />
        ))}
      </Group>
      <Group title="Size">
        {SIZES.map((s) => (
          <Chip key={s} label={label.size(s)} selected={draft.sizes.includes(s)} onToggle={() => setDraft((d) => ({ ...d, sizes: toggle(d.sizes, s) }))} accessibilityLabel={`Size ${label.size(s).toLowerCase()}`} />
        ))}
      </Group>
      <Group title="Sex">
        {SEXES.map((s) => (
          <Chip key={s} label={label.sex(s)} selected={draft.sexes.includes(s)} onToggle={() => setDraft((d) => ({ ...d, sexes: toggle(d.sexes, s) }))} accessibilityLabel={`Sex ${label.sex(s).toLowerCase()}`} />
        ))}
      </Group>
      <Group title="Age">
        {AGES.map((a) => (
          <Chip key={a} label={label.age(a)} selected={draft.ages.includes(a)} onToggle={() => setDraft((d) => ({ ...d, ages: toggle(d.ages, a) }))} accessibilityLabel={`Age ${label.age(a).toLowerCase()}`} />
        ))}
      </Group>
      <Group title="Coat">
        {COATS.map((c) => (
          <Chip key={c} label={label.coat(c)} selected={draft.coats.includes(c)} onToggle={() => setDraft((d) => ({ ...d, coats: toggle(d.coats, c) }))} accessibilityLabel={`Coat ${label.coat(c).toLowerCase()}`} />
        ))}
      </Group>
      <Group title="Good with">
        {GOOD_WITH.map((g) => (
          <Chip key={g} label={label.goodWith(g)} selected={draft.goodWith.includes(g)} onToggle={() => setDraft((d) => ({ ...d, goodWith: toggle(d.goodWith, g) }))} accessibilityLabel={`Good with ${label.goodWith(g).toLowerCase()}`} />
        ))}
      </Group>
      <Group title="Status">
        {STATUSES.map((st) => (
          <Chip
            key={st}
            label={label.status(st)}
            selected={draft.statuses.includes(st)}
            onToggle={() => setDraft((d) => ({ ...d, statuses: toggle(d.statuses, st) }))}
            accessibilityLabel={`Status ${label.status(st).toLowerCase()}`}
          />
        ))}
        <Text style={[styles.note, { color: colors.muted }]}>With none chosen, only puppies available for adoption are shown.</Text>
      </Group>
      <Group title="Distance">
        <View style={styles.full}>
          {draft.near ? (
            <View style={styles.nearRow}>
              <Text style={{ color: colors.text, flex: 1 }} testID="near-label">
                Near {draft.near.label}
              </Text>
              <Button label="Clear" variant="secondary" onPress={() => setDraft((d) => ({ ...d, near: null }))} accessibilityLabel="Clear location" />
            </View>
          ) : null}
          <Button label="Use my location" variant="secondary" busy={locating} onPress={useMyLocation} />
          {locationError ? (
            <Text accessibilityRole="alert" style={{ color: colors.danger, marginTop: spacing.xs }}>
              {locationError}
            </Text>
          ) : null}
          <View style={{ height: spacing.sm }} />
          <TextField label="Or a city" value={cityText} onChangeText={setCityText} placeholder="e.g. Portland" autoCorrect={false} />
        </View>
        {cities.map((c) => (
          <Chip
            key={c.name}
            label={c.name}
            kind="radio"
            selected={draft.near?.label === c.name}
            onToggle={() => {
              setDraft((d) => ({ ...d, near: { label: c.name, latitude: c.latitude, longitude: c.longitude } }));
              setCityText('');
            }}
            accessibilityLabel={`City ${c.name}`}
          />
        ))}
      </Group>
      {draft.near ? (
        <Group title="Within" single>
          {radiusChoices().map((r) => (
            <Chip
              key={r.km}
              kind="radio"
              label={r.label}
              selected={effectiveRadiusKm(draft) === r.km}
              onToggle={() => setDraft((d) => ({ ...d, radiusKm: r.km }))}
              accessibilityLabel={`Within ${r.label}`}
            />
          ))}
        </Group>
      ) : null}
      <Group title="Sort by" single>
        {sortChoices(draft).map((o) => (
          <Chip
            key={o.value}
            kind="radio"
            label={o.label}
            selected={effectiveSort(draft) === o.value}
            onToggle={() => setDraft((d) => ({ ...d, sort: o.value }))}
            accessibilityLabel={`Sort ${o.label.toLowerCase()}`}
            testID={`sort-${o.value}`}
          />
        ))}
      </Group>
      <View style={styles.actions}>
        <Button label="Cancel" variant="secondary" onPress={onClose} accessibilityLabel="Close filters without applying" style={styles.action} />
        <Button label="Reset" variant="secondary" onPress={() => setDraft({ ...EMPTY_FILTERS, q: draft.q })} accessibilityLabel="Reset filters" style={styles.action} />
        <Button
          label="Show puppies"
          onPress={() => {
            onChange(draft);
            onClose();
          }}
          accessibilityLabel="Apply filters"
          style={styles.action}
        />
      </View>
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  panel: { flex: 1 },
  content: { padding: spacing.lg, paddingBottom: 48 },
  group: { marginBottom: spacing.lg },
  groupTitle: { fontSize: 17, fontWeight: '700', marginBottom: spacing.sm },
  chips: { flexDirection: 'row', flexWrap: 'wrap' },
  full: { width: '100%' },
  nearRow: { flexDirection: 'row', alignItems: 'center', marginBottom: spacing.sm },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: spacing.md },
  action: { flexGrow: 1 },
  note: { width: '100%', fontSize: 13 },
});
