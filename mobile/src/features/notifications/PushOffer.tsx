import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { StyleSheet, Text, View } from 'react-native';

import { friendlyMessage } from '@/api/errors';
import { useAuth } from '@/auth/AuthProvider';
import { loadPushPromptAnswer, savePushPromptAnswer } from '@/auth/storage';
import { Button } from '@/components/Button';
import { spacing, useTheme } from '@/theme';

import { askForPush, systemSettingsHint } from './askForPush';
import { newMatchAlertsOf, PUSH_TOKENS_KEY, usePushAvailability } from './usePush';

type Stage = 'checking' | 'hidden' | 'offer' | 'asking' | 'allowed' | 'declined' | 'refused' | 'failed';

/**
 * Offered right after a search is saved (never at launch): whether to be told by a
 * notification when a new puppy matches. Shown once on this device: the answer is
 * kept, and "Not now" is not asked again (Account's New matches setting can still turn
 * notifications on). Not offered where push cannot arrive, when the flag is off, when
 * the account chose email or no alerts, or when the system already has an answer.
 */
export function PushOffer() {
  const { colors } = useTheme();
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const { offered, support, permission } = usePushAvailability();
  const wantsPush = newMatchAlertsOf(user) === 'push';
  const [stage, setStage] = useState<Stage>('checking');
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (stage !== 'checking' && stage !== 'hidden') return;
    if (!offered || !wantsPush || permission === null) {
      setStage('hidden');
      return;
    }
    if (permission !== 'undetermined') {
      setStage('hidden');
      return;
    }
    let cancelled = false;
    void loadPushPromptAnswer().then((answer) => {
      if (!cancelled) setStage(answer ? 'hidden' : 'offer');
    });
    return () => {
      cancelled = true;
    };
  }, [offered, wantsPush, permission, stage]);

  const allow = async () => {
    if (!support.supported || stage !== 'offer') return;
    setStage('asking');
    const answer = await askForPush(support);
    await savePushPromptAnswer(answer.kind === 'refused' ? 'declined' : 'allowed');
    if (answer.kind === 'registered') {
      void queryClient.invalidateQueries({ queryKey: PUSH_TOKENS_KEY });
      setStage('allowed');
    } else if (answer.kind === 'failed') {
      setFailure(answer.error);
      setStage('failed');
    } else setStage('refused');
  };

  const decline = () => {
    void savePushPromptAnswer('declined');
    setStage('declined');
  };

  if (stage === 'checking' || stage === 'hidden') return null;
  let message: string;
  if (stage === 'allowed') message = 'Done: you will get a notification when a new puppy matches.';
  else if (stage === 'declined') message = 'No notifications. You can turn them on later under New matches on Account.';
  else if (stage === 'refused') message = `${systemSettingsHint()} Or choose email alerts under New matches on Account.`;
  else if (stage === 'failed') message = `Notifications could not be turned on. ${friendlyMessage(failure)}`;
  else message = 'Get a notification when a new puppy matches?';

  const asking = stage === 'offer' || stage === 'asking';
  return (
    <View style={[styles.box, { borderColor: colors.border, backgroundColor: colors.surface }]} testID="push-offer">
      <Text style={{ color: colors.text }} accessibilityRole={asking ? undefined : 'alert'}>
        {message}
      </Text>
      {asking ? (
        <View style={styles.row}>
          <Button label="Not now" variant="secondary" onPress={decline} disabled={stage === 'asking'} accessibilityLabel="Not now: no notifications about new matches" style={styles.grow} />
          <Button label="Allow" onPress={() => void allow()} busy={stage === 'asking'} accessibilityLabel="Allow notifications about new matches" testID="push-offer-allow" style={styles.grow} />
        </View>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  box: { marginHorizontal: spacing.lg, marginBottom: spacing.sm, padding: spacing.md, borderWidth: 1, borderRadius: 12, gap: spacing.sm },
  row: { flexDirection: 'row', gap: spacing.sm },
  grow: { flexGrow: 1, flexShrink: 1 },
});
