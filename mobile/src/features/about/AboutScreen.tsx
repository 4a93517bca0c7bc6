import { ScrollView, StyleSheet, Text, View } from 'react-native';

import { env } from '@/config/env';
import { spacing, useTheme } from '@/theme';

function Row({ label, value, testID }: { label: string; value: string; testID?: string }) {
  const { colors } = useTheme();
  return (
    <View style={[styles.row, { borderColor: colors.border }]} accessible accessibilityLabel={`${label}: ${value}`}>
      <Text style={{ color: colors.muted }}>{label}</Text>
      <Text style={{ color: colors.text, fontWeight: '600' }} testID={testID}>
        {value}
      </Text>
    </View>
  );
}

export function AboutScreen() {
  const { colors } = useTheme();
  return (
    <ScrollView style={{ backgroundColor: colors.background }} contentContainerStyle={styles.content}>
      <Text style={[styles.title, { color: colors.text }]} accessibilityRole="header">
        Kennel
      </Text>
      <Text style={{ color: colors.text, marginBottom: spacing.lg }}>Find a puppy to adopt near you, and contact the shelter that cares for it.</Text>
      <Row label="Version" value={env.version} testID="about-version" />
      <Row label="Environment" value={env.environment} testID="about-environment" />
      <Row label="API" value={env.apiUrl} />
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  content: { padding: spacing.lg },
  title: { fontSize: 28, fontWeight: '800', marginBottom: spacing.sm },
  row: { flexDirection: 'row', justifyContent: 'space-between', paddingVertical: spacing.md, borderBottomWidth: StyleSheet.hairlineWidth },
});
