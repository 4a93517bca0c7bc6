import { router } from 'expo-router';
import { ScrollView, StyleSheet, Text, View } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { SkeletonDetail } from '@/components/Skeleton';
import { EmptyState, ErrorState } from '@/components/States';
import { capitalise, formatAge, formatFee, label } from '@/format';
import { spacing, useTheme } from '@/theme';

import { useFavoriteIds, useToggleFavorite } from '../favorites/useFavorites';
import { useFlags } from '../flags/useFlags';
import { AssistantPanel } from './AssistantPanel';
import { breedLabel, type PuppyDetail } from './format';
import { InquiryForm } from './InquiryForm';
import { PhotoCarousel } from './PhotoCarousel';
import { usePuppy } from './usePuppy';

function Fact({ label, value }: { label: string; value: string }) {
  const { colors } = useTheme();
  return (
    <View style={styles.fact} accessible accessibilityLabel={`${label}: ${value}`}>
      <Text style={{ color: colors.muted }}>{label}</Text>
      <Text style={{ color: colors.text, fontWeight: '600' }}>{value}</Text>
    </View>
  );
}

const yesNo = (v: boolean | null | undefined) => (v === true ? 'Yes' : v === false ? 'No' : 'Not known yet');

function FavouriteButton({ puppy }: { puppy: PuppyDetail }) {
  const { colors } = useTheme();
  const { token } = useAuth();
  const ids = useFavoriteIds();
  const toggle = useToggleFavorite();
  if (!token) {
    return <Button label="♡ Sign in to save" variant="secondary" onPress={() => router.navigate('/account')} accessibilityLabel={`Sign in to save ${puppy.name}`} />;
  }
  const saved = ids.data?.includes(puppy.id) ?? false;
  return (
    <View>
      <Button
        label={saved ? '♥ Saved' : '♡ Save'}
        variant={saved ? 'primary' : 'secondary'}
        onPress={() => toggle.mutate({ puppyId: puppy.id, favourite: !saved })}
        accessibilityLabel={saved ? `Remove ${puppy.name} from favourites` : `Save ${puppy.name} to favourites`}
        disabled={ids.isPending}
        testID="favourite-button"
      />
      {toggle.isError ? <Text accessibilityRole="alert" style={{ color: colors.danger }}>{friendlyMessage(toggle.error)}</Text> : null}
    </View>
  );
}

/** Browse, whether the puppy was opened from it or from a link. */
export function backToBrowse() {
  router.dismissTo('/');
}

export function PuppyDetailScreen({ id }: { id: string }) {
  const { colors } = useTheme();
  const query = usePuppy(id);
  const { token } = useAuth();
  const { flags } = useFlags();

  if (query.isPending) return <SkeletonDetail />;
  if (query.isError && query.error instanceof ApiError && query.error.status === 404) {
    // Retrying cannot bring back a puppy that does not exist (a mistyped or old link).
    return (
      <EmptyState
        testID="puppy-not-found"
        title="Puppy not found"
        message="This puppy is no longer listed, or the link is wrong. Other puppies are waiting for a home."
        actionLabel="Back to browse"
        onAction={backToBrowse}
      />
    );
  }
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Couldn’t load this puppy" />;

  const p = query.data;
  const good = p.good_with;
  return (
    <ScrollView style={{ backgroundColor: colors.background }} contentContainerStyle={styles.content} testID="puppy-detail">
      <PhotoCarousel puppy={p} />
      <View style={styles.section}>
        <View style={styles.titleRow}>
          <View style={{ flex: 1 }}>
            <Text style={[styles.name, { color: colors.text }]} accessibilityRole="header">
              {p.name}
            </Text>
            <Text style={{ color: colors.text, fontSize: 16 }}>{breedLabel(p)}</Text>
          </View>
          <FavouriteButton puppy={p} />
        </View>
        {p.status !== 'available' ? <Text style={{ color: colors.primary, fontWeight: '700' }}>{label.status(p.status)}</Text> : null}
        <View style={styles.facts}>
          <Fact label="Age" value={formatAge(p.age_months)} />
          <Fact label="Sex" value={label.sex(p.sex)} />
          <Fact label="Size" value={label.size(p.size)} />
          <Fact label="Coat" value={label.coat(p.coat)} />
          <Fact label="Colour" value={capitalise(p.colour)} />
          <Fact label="Adoption fee" value={formatFee(p.adoption_fee)} />
          <Fact label="Good with kids" value={yesNo(good.kids)} />
          <Fact label="Good with dogs" value={yesNo(good.dogs)} />
          <Fact label="Good with cats" value={yesNo(good.cats)} />
          <Fact label="House trained" value={yesNo(p.house_trained)} />
          <Fact label="Vaccinated" value={yesNo(p.vaccinated)} />
          <Fact label="Neutered" value={yesNo(p.neutered)} />
        </View>
        {p.description ? <Text style={{ color: colors.text, fontSize: 16, lineHeight: 22 }}>{p.description}</Text> : null}
      </View>
      <View style={styles.section}>
        <Text style={[styles.heading, { color: colors.text }]} accessibilityRole="header">
          {p.organization.name}
        </Text>
        <Text style={{ color: colors.muted }}>
          {label.organizationKind(p.organization.kind)} · {p.organization.city}, {p.organization.region}
        </Text>
        {p.organization.website ? <Text style={{ color: colors.muted }}>{p.organization.website}</Text> : null}
      </View>
      {flags.inquiries ? (
        <View style={styles.section}>
          <Text style={[styles.heading, { color: colors.text }]} accessibilityRole="header">
            Contact shelter
          </Text>
          {token ? (
            <InquiryForm puppyId={p.id} puppyName={p.name} organizationName={p.organization.name} />
          ) : (
            <Button label="Sign in to contact the shelter" variant="secondary" onPress={() => router.navigate('/account')} />
          )}
        </View>
      ) : null}
      {flags.assistant ? (
        <View style={styles.section}>
          <AssistantPanel puppyId={p.id} puppyName={p.name} />
        </View>
      ) : null}
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  content: { paddingBottom: 48, alignItems: 'stretch' },
  section: { paddingHorizontal: spacing.lg, paddingTop: spacing.lg, gap: spacing.sm },
  titleRow: { flexDirection: 'row', alignItems: 'center', gap: spacing.md },
  name: { fontSize: 28, fontWeight: '800' },
  heading: { fontSize: 20, fontWeight: '700' },
  facts: { flexDirection: 'row', flexWrap: 'wrap' },
  fact: { width: '50%', paddingVertical: spacing.xs },
});
