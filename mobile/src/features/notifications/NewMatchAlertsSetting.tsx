import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Linking, StyleSheet, Text, View } from 'react-native';

import { friendlyMessage } from '@/api/errors';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { Chip } from '@/components/Chip';
import { formatCount } from '@/format';
import { spacing, useTheme } from '@/theme';

import { useFlags } from '../flags/useFlags';
import type { NewMatchAlerts } from './api';
import { askForPush, systemSettingsHint } from './askForPush';
import { unsupportedReason } from './device';
import { newMatchAlertsOf, PUSH_TOKENS_KEY, usePushAvailability, usePushTokens, useUpdateNewMatchAlerts } from './usePush';

const CHOICES: { value: NewMatchAlerts; label: string }[] = [
  { value: 'push', label: 'Push notifications' },
  { value: 'email', label: 'Email' },
  { value: 'off', label: 'Off' },
];

type Problem = { message: string; settings?: boolean };

function devicesText(n: number): string {
  return n === 1 ? '1 device' : `${formatCount(n)} devices`;
}

/** A line under the choices saying where alerts go, when the choices alone do not tell. */
function note({ value, offered, flagOn, devices }: { value: NewMatchAlerts; offered: boolean; flagOn: boolean; devices: number | undefined }): string | null {
  if (value !== 'push') return null;
  if (!flagOn) return 'Push notifications are not available right now, so alerts about new matches come by email.';
  if (devices === undefined) return null;
  if (devices === 0) return 'No device of yours receives push notifications, so alerts about new matches come by email.';
  return offered ? null : `Alerts about new matches go as push notifications to ${devicesText(devices)} with Kennel.`;
}

/**
 * Account: how the person hears about puppies newly matching their saved searches.
 * Push notifications are offered only where they can arrive (a phone with the flag
 * on); choosing them asks the system for permission and registers this device, and a
 * refusal keeps the previous choice and says where to turn notifications back on.
 */
export function NewMatchAlertsSetting() {
  const { colors } = useTheme();
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const { flags } = useFlags();
  const availability = usePushAvailability();
  const devices = usePushTokens(flags.push_notifications);
  const update = useUpdateNewMatchAlerts();
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const current = newMatchAlertsOf(user);
  const shown = update.isPending && update.variables ? update.variables : current;
  const choices = availability.offered ? CHOICES : CHOICES.filter((c) => c.value !== 'push');
  const deviceCount = devices.data?.items.length;
  // Push is chosen, but this device does not (yet) allow notifications: choosing it again asks.
  const pushNotAllowedHere = availability.offered && current === 'push' && availability.permission !== null && availability.permission !== 'granted';

  const choose = async (value: NewMatchAlerts) => {
    if (update.isPending || asking) return;
    if (value === current && !(value === 'push' && pushNotAllowedHere)) return;
    setProblem(null);
    if (value === 'push' && availability.support.supported) {
      setAsking(true);
      const answer = await askForPush(availability.support);
      setAsking(false);
      void availability.refresh();
      if (answer.kind === 'refused') return setProblem({ message: systemSettingsHint(), settings: true });
      if (answer.kind === 'failed') return setProblem({ message: `Push notifications could not be turned on. ${friendlyMessage(answer.error)}` });
      void queryClient.invalidateQueries({ queryKey: PUSH_TOKENS_KEY });
      if (value === current) return;
    }
    update.mutate(value, { onError: (error) => setProblem({ message: `Not saved. ${friendlyMessage(error)}` }) });
  };

  const explanation = note({ value: current, offered: availability.offered, flagOn: flags.push_notifications, devices: deviceCount });
  const unsupported = flags.push_notifications && !availability.support.supported ? unsupportedReason(availability.support.reason) : null;

  return (
    <View style={styles.section} testID="new-match-alerts">
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        New matches
      </Text>
      <Text style={{ color: colors.muted }}>When a puppy matching one of your saved searches is listed, tell me by:</Text>
      <View style={styles.choices} accessibilityRole="radiogroup" accessibilityLabel="New matches">
        {choices.map((choice) => (
          <Chip
            key={choice.value}
            kind="radio"
            label={choice.label}
            selected={shown === choice.value}
            onToggle={() => void choose(choice.value)}
            testID={`new-match-alerts-${choice.value}`}
          />
        ))}
      </View>
      {asking || update.isPending ? <Text style={{ color: colors.muted }}>Saving…</Text> : null}
      {pushNotAllowedHere && !problem ? (
        <Text style={{ color: colors.text }}>This device does not show notifications yet. Choose Push notifications to allow them.</Text>
      ) : null}
      {explanation ? <Text style={{ color: colors.text }} testID="new-match-alerts-note">{explanation}</Text> : null}
      {unsupported ? <Text style={{ color: colors.muted }}>{unsupported}</Text> : null}
      {flags.push_notifications ? (
        <Text style={{ color: colors.muted }} testID="push-device-count">
          {devices.isPending
            ? 'Devices receiving notifications: loading…'
            : devices.isError || deviceCount === undefined
              ? 'Devices receiving notifications: not available right now'
              : `Devices receiving notifications: ${formatCount(deviceCount)}`}
        </Text>
      ) : null}
      {problem ? (
        <View style={styles.problem}>
          <Text accessibilityRole="alert" style={{ color: colors.danger }}>
            {problem.message}
          </Text>
          {problem.settings ? (
            <Button label="Open settings" variant="secondary" onPress={() => void Linking.openSettings()} accessibilityHint="Opens Kennel’s settings on this device" />
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  section: { paddingTop: spacing.sm, gap: spacing.sm },
  title: { fontSize: 18, fontWeight: '700' },
  choices: { flexDirection: 'row', flexWrap: 'wrap' },
  problem: { gap: spacing.sm },
});
