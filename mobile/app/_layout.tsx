import { DarkTheme, DefaultTheme, ThemeProvider, type Theme as NavigationTheme } from '@react-navigation/native';
import { Stack } from 'expo-router';
import { StatusBar } from 'expo-status-bar';
import { useMemo } from 'react';
import { View } from 'react-native';
import { SafeAreaProvider, SafeAreaView } from 'react-native-safe-area-context';

import { Providers } from '@/providers/Providers';
import { EnvironmentBanner, OfflineBanner } from '@/components/Banners';
import { HeaderBack } from '@/components/HeaderBack';
import { initMonitoring } from '@/monitoring/sentry';
import { useTheme } from '@/theme';

initMonitoring();

// The screens export the same fallback; this one catches what fails around them (the
// providers, the banners, the navigator itself).
export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

// The tabs are always the first screen of the stack, so a puppy opened from a link
// (a fresh load of /puppy/<id>) has Browse and the tab bar under it to go back to.
export const unstable_settings = { initialRouteName: '(tabs)' };

export default function RootLayout() {
  const { colors, dark } = useTheme();
  // Navigation chrome (headers, tab bar, screen backgrounds) in the app's colours,
  // light or dark as the system is.
  const navigationTheme = useMemo<NavigationTheme>(() => {
    const base = dark ? DarkTheme : DefaultTheme;
    return {
      ...base,
      colors: { ...base.colors, primary: colors.primary, background: colors.background, card: colors.surface, text: colors.text, border: colors.border },
    };
  }, [colors, dark]);
  return (
    <SafeAreaProvider>
      <ThemeProvider value={navigationTheme}>
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
                  headerLeft: ({ tintColor }) => <HeaderBack tintColor={tintColor} />,
                }}
              >
                <Stack.Screen name="(tabs)" options={{ headerShown: false, title: 'Kennel' }} />
                <Stack.Screen name="puppy/[id]" options={{ title: 'Puppy' }} />
                <Stack.Screen name="staff/puppy/new" options={{ title: 'New puppy' }} />
                <Stack.Screen name="staff/puppy/[id]" options={{ title: 'Edit puppy' }} />
                <Stack.Screen name="staff/inquiries" options={{ title: 'Inquiries' }} />
                <Stack.Screen name="inquiry/[id]" options={{ title: 'Conversation' }} />
                <Stack.Screen name="saved-searches" options={{ title: 'Saved searches' }} />
                <Stack.Screen name="forgot-password" options={{ title: 'Forgot password' }} />
                <Stack.Screen name="reset-password" options={{ title: 'New password' }} />
                <Stack.Screen name="verify-email" options={{ title: 'Confirm email' }} />
                <Stack.Screen name="confirm-email" options={{ title: 'Confirm new email' }} />
                <Stack.Screen name="+not-found" options={{ title: 'Page not found' }} />
              </Stack>
            </View>
          </SafeAreaView>
        </Providers>
      </ThemeProvider>
    </SafeAreaProvider>
  );
}
