import { Stack } from 'expo-router';
import { StatusBar } from 'expo-status-bar';
import { View } from 'react-native';
import { SafeAreaProvider, SafeAreaView } from 'react-native-safe-area-context';

import { Providers } from '@/providers/Providers';
import { EnvironmentBanner, OfflineBanner } from '@/components/Banners';
import { initMonitoring } from '@/monitoring/sentry';
import { useTheme } from '@/theme';

initMonitoring();

export default function RootLayout() {
  const { colors, dark } = useTheme();
  return (
    <SafeAreaProvider>
      <Providers>
        <SafeAreaView edges={['top']} style={{ flex: 1, backgroundColor: colors.background }}>
          <StatusBar style={dark ? 'light' : 'dark'} />
          <EnvironmentBanner />
          <OfflineBanner />
          <View style={{ flex: 1 }}>
            <Stack
              screenOptions={{
                headerStyle: { backgroundColor: colors.surface },
                headerTintColor: colors.text,
                contentStyle: { backgroundColor: colors.background },
              }}
            >
              <Stack.Screen name="(tabs)" options={{ headerShown: false, title: 'Kennel' }} />
              <Stack.Screen name="puppy/[id]" options={{ title: 'Puppy' }} />
              <Stack.Screen name="staff/puppy/new" options={{ title: 'New puppy' }} />
              <Stack.Screen name="staff/puppy/[id]" options={{ title: 'Edit puppy' }} />
              <Stack.Screen name="staff/inquiries" options={{ title: 'Inquiries' }} />
            </Stack>
          </View>
        </SafeAreaView>
      </Providers>
    </SafeAreaProvider>
  );
}
