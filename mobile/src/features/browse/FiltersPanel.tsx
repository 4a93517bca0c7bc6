import * as Location from 'expo-location';
import { useMemo, useState } from 'react';
import { ScrollView, StyleSheet, Text, View } from 'react-native';

import { Button } from '@/components/Button';
import { Chip } from '@/components/Chip';
import { TextField } from '@/components/TextField';
import { capitalise } from '@/format';
import { spacing, useTheme } from '@/theme';

import { matchCities } from './cities';
import { AGES, EMPTY_FILTERS, GOOD_WITH, RADII, SEXES, SIZES, toggle, type Filters } from './filters';
import { useBreeds } from './usePuppies';

type Props = { value: Filters; onChange: (next: Filters) => void; onClose: () => void };

function Group({ title, children }: { title: string; children: React.ReactNode }) {
  const { colors } = useTheme();
  return (
    <View style={styles.group} accessibilityLabel={title}>
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
          <Chip key={s} label={capitalise(s)} selected={draft.sizes.includes(s)} onToggle={() => setDraft((d) => ({ ...d, sizes: toggle(d.sizes, s) }))} accessibilityLabel={`Size ${s}`} />
        ))}
      </Group>
      <Group title="Sex">
        {SEXES.map((s) => (
          <Chip key={s} label={capitalise(s)} selected={draft.sexes.includes(s)} onToggle={() => setDraft((d) => ({ ...d, sexes: toggle(d.sexes, s) }))} accessibilityLabel={`Sex ${s}`} />
        ))}
      </Group>
      <Group title="Age">
        {AGES.map((a) => (
          <Chip key={a} label={capitalise(a)} selected={draft.ages.includes(a)} onToggle={() => setDraft((d) => ({ ...d, ages: toggle(d.ages, a) }))} accessibilityLabel={`Age ${a}`} />
        ))}
      </Group>
      <Group title="Good with">
        {GOOD_WITH.map((g) => (
          <Chip key={g} label={capitalise(g)} selected={draft.goodWith.includes(g)} onToggle={() => setDraft((d) => ({ ...d, goodWith: toggle(d.goodWith, g) }))} accessibilityLabel={`Good with ${g}`} />
        ))}
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
        <Group title="Within">
          {RADII.map((r) => (
            <Chip key={r} kind="radio" label={`${r} km`} selected={draft.radiusKm === r} onToggle={() => setDraft((d) => ({ ...d, radiusKm: r }))} accessibilityLabel={`Within ${r} km`} />
          ))}
        </Group>
      ) : null}
      <View style={styles.actions}>
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
  actions: { flexDirection: 'row', gap: spacing.md },
  action: { flex: 1 },
});
