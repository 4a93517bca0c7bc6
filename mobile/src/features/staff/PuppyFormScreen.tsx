import { router } from 'expo-router';
import { useMemo, useState } from 'react';
import { ScrollView, StyleSheet, Switch, Text, View } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import type { components } from '@/api/schema';
import { Button } from '@/components/Button';
import { Chip } from '@/components/Chip';
import { SkeletonDetail } from '@/components/Skeleton';
import { ErrorState } from '@/components/States';
import { TextField } from '@/components/TextField';
import { label } from '@/format';
import { spacing, useTheme } from '@/theme';

import { useBreeds } from '../browse/usePuppies';
import { useFlags } from '../flags/useFlags';
import { type PuppyDetail } from '../puppy/format';
import { PhotoManager } from './PhotoManager';
import {
  changes,
  EMPTY_PUPPY,
  NEXT_STATUSES,
  toInput,
  validatePuppy,
  valuesFrom,
  type PuppyFormErrors,
  type PuppyFormValues,
  type PuppyInput,
  type TriState,
} from './puppyForm';
import { useCreatePuppy, useEditablePuppy, useUpdatePuppy } from './useStaff';

type Status = components['schemas']['Status'];

function TriChoice({ label, value, onChange }: { label: string; value: TriState; onChange: (v: TriState) => void }) {
  const { colors } = useTheme();
  const options: { v: TriState; text: string }[] = [
    { v: true, text: 'Yes' },
    { v: false, text: 'No' },
    { v: null, text: 'Not known' },
  ];
  return (
    <View style={styles.row} accessibilityRole="radiogroup" accessibilityLabel={label}>
      <Text style={[styles.rowLabel, { color: colors.text }]}>{label}</Text>
      {options.map((o) => (
        <Chip key={String(o.v)} kind="radio" label={o.text} selected={value === o.v} onToggle={() => onChange(o.v)} accessibilityLabel={`${label}: ${o.text}`} />
      ))}
    </View>
  );
}

function Toggle({ label, value, onChange }: { label: string; value: boolean; onChange: (v: boolean) => void }) {
  const { colors } = useTheme();
  return (
    <View style={styles.row}>
      <Text style={[styles.rowLabel, { color: colors.text }]}>{label}</Text>
      <Switch value={value} onValueChange={onChange} accessibilityLabel={label} accessibilityRole="switch" />
    </View>
  );
}

function BreedPicker({ value, onChange, error }: { value: string; onChange: (slug: string) => void; error?: string }) {
  const { colors } = useTheme();
  const breeds = useBreeds();
  const [text, setText] = useState('');
  const all = breeds.data?.items ?? [];
  const chosen = all.find((b) => b.slug === value);
  const needle = text.trim().toLowerCase();
  const matches = needle ? all.filter((b) => b.name.toLowerCase().includes(needle)).slice(0, 8) : [];
  return (
    <View>
      <TextField label="Breed" value={text} onChangeText={setText} placeholder={chosen ? chosen.name : 'Type to find a breed'} error={error} autoCorrect={false} />
      <View style={styles.chips}>
        {chosen && !matches.includes(chosen) ? <Chip kind="radio" label={chosen.name} selected onToggle={() => undefined} accessibilityLabel={`Breed ${chosen.name}`} /> : null}
        {matches.map((b) => (
          <Chip key={b.slug} kind="radio" label={b.name} selected={b.slug === value} onToggle={() => onChange(b.slug)} accessibilityLabel={`Breed ${b.name}`} />
        ))}
      </View>
      {breeds.isError ? <Text style={{ color: colors.danger }}>{friendlyMessage(breeds.error)}</Text> : null}
    </View>
  );
}

type FormProps = {
  initial: PuppyFormValues;
  submitLabel: string;
  onSubmit: (values: PuppyFormValues) => Promise<void>;
};

/** The staff puppy form: checked here first, then by the server (its field errors show inline). */
export function PuppyForm({ initial, submitLabel, onSubmit }: FormProps) {
  const { colors } = useTheme();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<PuppyFormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof PuppyFormValues>(key: K) => (v: PuppyFormValues[K]) => setValues((s) => ({ ...s, [key]: v }));

  const submit = async () => {
    setFailure(null);
    const found = validatePuppy(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFailure('Check the highlighted fields.');
      return;
    }
    setBusy(true);
    try {
      await onSubmit(values);
    } catch (error) {
      if (error instanceof ApiError) {
        const fields = error.fieldErrors;
        setErrors({
          name: fields.name,
          breed: fields.breed,
          sex: fields.sex,
          birth_date: fields.birth_date,
          colour: fields.colour,
          fee: fields.adoption_fee_cents,
          description: fields.description,
        });
      }
      setFailure(friendlyMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View testID="puppy-form">
      <TextField label="Name" value={values.name} onChangeText={set('name')} error={errors.name} />
      <BreedPicker value={values.breed} onChange={set('breed')} error={errors.breed} />
      <View style={styles.row} accessibilityRole="radiogroup" accessibilityLabel="Sex">
        <Text style={[styles.rowLabel, { color: colors.text }]}>Sex</Text>
        {(['female', 'male'] as const).map((sex) => (
          <Chip
            key={sex}
            kind="radio"
            label={label.sex(sex)}
            selected={values.sex === sex}
            onToggle={() => set('sex')(sex)}
            accessibilityLabel={`Sex ${label.sex(sex).toLowerCase()}`}
          />
        ))}
      </View>
      {errors.sex ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, marginBottom: spacing.sm }}>
          {errors.sex}
        </Text>
      ) : null}
      <TextField label="Birth date" value={values.birth_date} onChangeText={set('birth_date')} error={errors.birth_date} placeholder="YYYY-MM-DD" hint="YYYY-MM-DD" autoCorrect={false} />
      <TextField label="Colour" value={values.colour} onChangeText={set('colour')} error={errors.colour} />
      <TextField label="Adoption fee" value={values.fee} onChangeText={set('fee')} error={errors.fee} keyboardType="decimal-pad" inputMode="decimal" placeholder="150.00" />
      <TextField label="Description" value={values.description} onChangeText={set('description')} error={errors.description} multiline />
      <TriChoice label="Good with kids" value={values.kids} onChange={set('kids')} />
      <TriChoice label="Good with dogs" value={values.dogs} onChange={set('dogs')} />
      <TriChoice label="Good with cats" value={values.cats} onChange={set('cats')} />
      <Toggle label="House trained" value={values.house_trained} onChange={set('house_trained')} />
      <Toggle label="Vaccinated" value={values.vaccinated} onChange={set('vaccinated')} />
      <Toggle label="Neutered" value={values.neutered} onChange={set('neutered')} />
      {failure ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, marginBottom: spacing.sm }}>
          {failure}
        </Text>
      ) : null}
      <Button label={submitLabel} onPress={submit} busy={busy} testID="puppy-form-submit" />
    </View>
  );
}

export function NewPuppyScreen() {
  const { colors } = useTheme();
  const createPuppy = useCreatePuppy();
  const create = async (values: PuppyFormValues) => {
    const created = await createPuppy.mutateAsync(toInput(values));
    router.replace({ pathname: '/staff/puppy/[id]', params: { id: created.id } });
  };
  return (
    <ScrollView style={{ backgroundColor: colors.background }} contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled">
      <PuppyForm initial={EMPTY_PUPPY} submitLabel="Create listing" onSubmit={create} />
    </ScrollView>
  );
}

function StatusChanger({ puppy, etag }: { puppy: PuppyDetail; etag: string | null }) {
  const { colors } = useTheme();
  const change = useUpdatePuppy(puppy.id);
  const changeTo = (status: Status) => change.mutate({ changes: { status }, etag });
  return (
    <View style={styles.status}>
      <Text style={{ color: colors.text, fontWeight: '600' }} testID="puppy-status">
        Status: {label.status(puppy.status)}
      </Text>
      <View style={styles.chips}>
        {NEXT_STATUSES[puppy.status].map((s) => (
          <Button key={s} label={`Mark ${label.status(s).toLowerCase()}`} variant="secondary" busy={change.isPending && change.variables?.changes.status === s} onPress={() => changeTo(s)} accessibilityLabel={`Mark ${puppy.name} as ${s}`} />
        ))}
      </View>
      {change.isError ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {friendlyMessage(change.error)}
        </Text>
      ) : null}
    </View>
  );
}

export function EditPuppyScreen({ id }: { id: string }) {
  const { colors } = useTheme();
  const query = useEditablePuppy(id);
  const update = useUpdatePuppy(id);
  const { flags } = useFlags();
  const [saved, setSaved] = useState(false);
  const initial = useMemo(() => (query.data ? valuesFrom(query.data.puppy) : null), [query.data]);

  if (query.isPending) return <SkeletonDetail />;
  if (query.isError || !initial) return <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Couldn’t load this puppy" />;
  const { puppy, etag } = query.data;

  const save = async (values: PuppyFormValues) => {
    setSaved(false);
    const body: PuppyInput = changes(initial, values);
    if (Object.keys(body).length === 0) return setSaved(true);
    await update.mutateAsync({ changes: body, etag });
    setSaved(true);
  };

  return (
    <ScrollView style={{ backgroundColor: colors.background }} contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled" testID="edit-puppy">
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        {puppy.name}
      </Text>
      <StatusChanger puppy={puppy} etag={etag} />
      {flags.photo_uploads ? (
        <PhotoManager key={puppy.photos.map((p) => p.id).join()} puppyId={puppy.id} puppyName={puppy.name} photos={puppy.photos} />
      ) : (
        <Text style={{ color: colors.muted }}>Photo uploads are not available right now.</Text>
      )}
      <View style={{ height: spacing.lg }} />
      <PuppyForm key={etag ?? 'form'} initial={initial} submitLabel="Save changes" onSubmit={save} />
      {saved ? (
        <Text accessibilityRole="alert" style={{ color: colors.text, marginTop: spacing.sm }}>
          Saved.
        </Text>
      ) : null}
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  content: { padding: spacing.lg, paddingBottom: 64, maxWidth: 720, width: '100%', alignSelf: 'center', gap: spacing.sm },
  title: { fontSize: 24, fontWeight: '800' },
  row: { flexDirection: 'row', alignItems: 'center', flexWrap: 'wrap', marginBottom: spacing.sm },
  rowLabel: { fontSize: 15, fontWeight: '600', marginRight: spacing.md, minWidth: 120 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: spacing.sm },
  status: { gap: spacing.sm, marginBottom: spacing.md },
});
