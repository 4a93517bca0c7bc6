import { router } from 'expo-router';
import { useState } from 'react';
import { Pressable, ScrollView, StyleSheet, Text, View } from 'react-native';

import { ApiError, friendlyMessage } from '@/api/errors';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { Chip } from '@/components/Chip';
import { SkeletonDetail } from '@/components/Skeleton';
import { TextField } from '@/components/TextField';
import { TextLink } from '@/components/TextLink';
import { formatCount, formatMonth, label } from '@/format';
import { spacing, useTheme } from '@/theme';

import { useFavoriteIds } from '../favorites/useFavorites';
import { NewMatchAlertsSetting } from '../notifications/NewMatchAlertsSetting';
import { useSavedSearches } from '../searches/useSavedSearches';
import { VerifyEmailNotice } from './ResendVerification';
import { useMyInquiryCount } from './useAccountSummary';

import { validateSignIn, validateSignUp, type Errors, type SignUpInput } from './validation';

function formError(error: unknown, mode: 'in' | 'up'): string {
  if (error instanceof ApiError && error.status === 401) {
    return mode === 'in'
      ? 'That email and password do not match an account.'
      : 'This email may already have an account. Sign in with its password instead.';
  }
  return friendlyMessage(error);
}

function SignInOrUp() {
  const { colors } = useTheme();
  const { signIn, signUp } = useAuth();
  const [mode, setMode] = useState<'in' | 'up'>('in');
  const [values, setValues] = useState<SignUpInput>({ display_name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Errors<SignUpInput>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof SignUpInput) => (text: string) => setValues((v) => ({ ...v, [key]: text }));

  const submit = async () => {
    setFailure(null);
    const found = mode === 'up' ? validateSignUp(values) : validateSignIn(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      if (mode === 'up') await signUp({ display_name: values.display_name.trim(), email: values.email.trim(), password: values.password });
      else await signIn(values.email.trim(), values.password);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors as Errors<SignUpInput>);
      setFailure(formError(error, mode));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View testID={mode === 'up' ? 'sign-up-form' : 'sign-in-form'}>
      <View style={styles.tabs} accessibilityRole="radiogroup">
        <Chip kind="radio" label="Sign in" selected={mode === 'in'} onToggle={() => setMode('in')} accessibilityLabel="I have an account" />
        <Chip kind="radio" label="Create account" selected={mode === 'up'} onToggle={() => setMode('up')} accessibilityLabel="I am new here" />
      </View>
      {mode === 'up' ? (
        <TextField label="Your name" value={values.display_name} onChangeText={set('display_name')} error={errors.display_name} autoComplete="name" />
      ) : null}
      <TextField
        label="Email"
        value={values.email}
        onChangeText={set('email')}
        error={errors.email}
        autoCapitalize="none"
        autoComplete="email"
        keyboardType="email-address"
        inputMode="email"
      />
      <TextField
        label="Password"
        value={values.password}
        onChangeText={set('password')}
        error={errors.password}
        secureTextEntry
        autoCapitalize="none"
        autoComplete={mode === 'up' ? 'new-password' : 'current-password'}
        hint={mode === 'up' ? 'At least 10 characters.' : undefined}
        onSubmitEditing={submit}
      />
      {failure ? (
        <Text accessibilityRole="alert" style={[styles.failure, { color: colors.danger }]}>
          {failure}
        </Text>
      ) : null}
      <Button label={mode === 'up' ? 'Create account' : 'Sign in'} onPress={submit} busy={busy} testID="account-submit" />
      {mode === 'in' ? (
        <TextLink label="Forgot your password?" onPress={() => router.push('/forgot-password')} accessibilityHint="Sends you a link to choose a new password" testID="forgot-password-link" />
      ) : null}
    </View>
  );
}

/** One line of the account summary; a link when it leads somewhere. */
function Stat({ title, value, onPress, hint, testID }: { title: string; value: string; onPress?: () => void; hint?: string; testID?: string }) {
  const { colors } = useTheme();
  const content = (
    <>
      <Text style={[styles.statTitle, { color: colors.muted }]}>{title}</Text>
      <Text style={[styles.statValue, { color: onPress ? colors.primary : colors.text }]} testID={testID}>
        {value}
        {onPress ? ' ›' : ''}
      </Text>
    </>
  );
  const style = [styles.stat, { borderColor: colors.border }];
  if (!onPress) {
    return (
      <View style={style} accessible accessibilityLabel={`${title}: ${value}`}>
        {content}
      </View>
    );
  }
  return (
    <Pressable style={({ pressed }) => [style, pressed && { opacity: 0.7 }]} onPress={onPress} accessibilityRole="link" accessibilityLabel={`${title}: ${value}`} accessibilityHint={hint}>
      {content}
    </Pressable>
  );
}

/** What the person has with Kennel, from the API (nothing here is made up locally). */
function Summary({ createdAt }: { createdAt: string }) {
  const favourites = useFavoriteIds();
  const inquiries = useMyInquiryCount();
  const searches = useSavedSearches();
  const count = (q: { isPending: boolean; isError: boolean }, n: number | undefined, more = false) =>
    q.isPending ? 'Loading…' : q.isError || n === undefined ? 'Not available right now' : `${formatCount(n)}${more ? '+' : ''}`;
  return (
    <View style={styles.summary} testID="account-summary">
      <Stat title="Member since" value={formatMonth(createdAt)} testID="member-since" />
      <Stat
        title="Favourites"
        value={count(favourites, favourites.data?.length)}
        onPress={() => router.navigate('/favorites')}
        hint="Opens your favourites"
        testID="favourites-count"
      />
      <Stat
        title="Saved searches"
        value={count(searches, searches.data?.items.length)}
        onPress={() => router.push('/saved-searches')}
        hint="Opens your saved searches"
        testID="saved-searches-count"
      />
      <Stat
        title="Messages to shelters"
        value={count(inquiries, inquiries.data?.count, inquiries.data?.more)}
        onPress={() => router.navigate('/messages')}
        hint="Opens your conversations with shelters"
        testID="inquiries-count"
      />
    </View>
  );
}

function SignedIn() {
  const { colors } = useTheme();
  const { user, signOut, deleteAccount } = useAuth();
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!user) return <SkeletonDetail />;
  return (
    <View style={styles.signedIn} testID="account-signed-in">
      <Text style={[styles.name, { color: colors.text }]} accessibilityRole="header">
        {user.display_name}
      </Text>
      <Text style={{ color: colors.muted }}>{user.email}</Text>
      {user.role !== 'adopter' ? <Text style={{ color: colors.muted }}>{label.role(user.role)}</Text> : null}
      {user.email_verified ? null : <VerifyEmailNotice email={user.email} />}
      <Summary createdAt={user.created_at} />
      <NewMatchAlertsSetting />
      <Button
        label="Sign out"
        variant="secondary"
        onPress={async () => {
          setFailure(null);
          try {
            await signOut();
          } catch (error) {
            // On the web only the API can end the session: it has not yet.
            setFailure(`Not signed out. ${friendlyMessage(error)}`);
          }
        }}
      />
      {confirming ? (
        <View style={[styles.confirm, { borderColor: colors.danger }]} accessibilityRole="alert">
          <Text style={{ color: colors.text }}>This deletes your account, your favourites and your messages. It cannot be undone.</Text>
          <Button
            label="Yes, delete my account"
            variant="danger"
            busy={busy}
            onPress={async () => {
              setBusy(true);
              setFailure(null);
              try {
                await deleteAccount();
              } catch (error) {
                setFailure(friendlyMessage(error));
              } finally {
                setBusy(false);
              }
            }}
          />
          <Button label="Keep my account" variant="secondary" onPress={() => setConfirming(false)} />
        </View>
      ) : (
        <Button label="Delete account" variant="danger" onPress={() => setConfirming(true)} />
      )}
      {failure ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {failure}
        </Text>
      ) : null}
    </View>
  );
}

export function AccountScreen() {
  const { colors } = useTheme();
  const { ready, token, loadingUser } = useAuth();
  let body;
  if (!ready || loadingUser) body = <SkeletonDetail />;
  else body = token ? <SignedIn /> : <SignInOrUp />;
  return (
    <ScrollView style={{ backgroundColor: colors.background }} contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled">
      {body}
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  content: { padding: spacing.lg, maxWidth: 560, width: '100%', alignSelf: 'center' },
  tabs: { flexDirection: 'row', marginBottom: spacing.md },
  failure: { marginBottom: spacing.md },
  signedIn: { gap: spacing.md },
  name: { fontSize: 24, fontWeight: '800' },
  summary: { borderRadius: 12 },
  stat: { flexDirection: 'row', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: spacing.sm, paddingVertical: spacing.md, borderBottomWidth: StyleSheet.hairlineWidth },
  statTitle: { fontSize: 15 },
  statValue: { fontSize: 16, fontWeight: '600' },
  confirm: { borderWidth: 1, borderRadius: 12, padding: spacing.md, gap: spacing.sm },
});
