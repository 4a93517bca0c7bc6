import { Tabs } from 'expo-router';
import { Text } from 'react-native';

import { isStaff, useAuth } from '@/auth/AuthProvider';
import { useTheme } from '@/theme';

const icon = (glyph: string) =>
  function TabIcon({ color }: { color: string }) {
    return (
      <Text style={{ color, fontSize: 18 }} accessibilityElementsHidden importantForAccessibility="no">
        {glyph}
      </Text>
    );
  };

export default function TabsLayout() {
  const { colors } = useTheme();
  const { user } = useAuth();
  return (
    <Tabs
      screenOptions={{
        headerStyle: { backgroundColor: colors.surface },
        headerTintColor: colors.text,
        tabBarStyle: { backgroundColor: colors.surface, borderTopColor: colors.border },
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
