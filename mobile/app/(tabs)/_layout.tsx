import { Tabs } from 'expo-router';
import { Text, useWindowDimensions } from 'react-native';
import { useSafeAreaInsets } from 'react-native-safe-area-context';

import { isStaff, useAuth } from '@/auth/AuthProvider';
import { useTheme } from '@/theme';

const icon = (glyph: string) =>
  function TabIcon({ color }: { color: string }) {
    return (
      <Text style={{ color, fontSize: 18 }} aria-hidden>
        {glyph}
      </Text>
    );
  };

export default function TabsLayout() {
  const { colors } = useTheme();
  const { user } = useAuth();
  // The tab bar has a fixed height (49 points); with a larger system font its icons
  // and labels grow, so it grows with them instead of cutting them off.
  const { fontScale } = useWindowDimensions();
  const insets = useSafeAreaInsets();
  const scaledHeight = fontScale > 1 ? { height: Math.ceil(49 * fontScale) + insets.bottom } : null;
  return (
    <Tabs
      screenOptions={{
        headerStyle: { backgroundColor: colors.surface },
        headerTintColor: colors.text,
        tabBarStyle: { backgroundColor: colors.surface, borderTopColor: colors.border, ...scaledHeight },
        tabBarActiveTintColor: colors.primary,
        tabBarInactiveTintColor: colors.muted,
      }}
    >
      <Tabs.Screen name="index" options={{ title: 'Browse', tabBarIcon: icon('◉'), tabBarAccessibilityLabel: 'Browse puppies' }} />
      <Tabs.Screen name="favorites" options={{ title: 'Favourites', tabBarIcon: icon('♥'), tabBarAccessibilityLabel: 'Favourites' }} />
      <Tabs.Screen
        name="staff"
        options={{ title: 'Staff', tabBarIcon: icon('⌂'), tabBarAccessibilityLabel: 'Staff', href: isStaff(user) ? undefined : null }}
      />
      <Tabs.Screen name="account" options={{ title: 'Account', tabBarIcon: icon('☺'), tabBarAccessibilityLabel: 'Account' }} />
      <Tabs.Screen name="about" options={{ title: 'About', tabBarIcon: icon('ℹ'), tabBarAccessibilityLabel: 'About Kennel' }} />
    </Tabs>
  );
}
