import { Tabs, useFocusEffect, useLocalSearchParams, useNavigation } from 'expo-router';
import { useCallback } from 'react';
import { Text, useWindowDimensions } from 'react-native';
import { useSafeAreaInsets } from 'react-native-safe-area-context';

import { isStaff, useAuth } from '@/auth/AuthProvider';
import { useRefreshMessages, useUnread } from '@/features/inquiries/useInquiries';
import { badgeCount, formatUnread } from '@/format';
import { useTheme } from '@/theme';

const icon = (glyph: string) =>
  function TabIcon({ color }: { color: string }) {
    return (
      <Text style={{ color, fontSize: 18 }} aria-hidden>
        {glyph}
      </Text>
    );
  };

/**
 * Opening /puppy/<id> from a link puts the tabs under the puppy with its params
 * copied onto them, so Browse's address became /?id=<id> after going back. The
 * tabs take no params: any they hold are dropped whenever they come back on top.
 */
function useNoInheritedParams() {
  const params = useLocalSearchParams();
  const navigation = useNavigation();
  const inherited = Object.keys(params).length > 0;
  useFocusEffect(
    useCallback(() => {
      if (inherited) navigation.replaceParams({} as never);
    }, [inherited, navigation]),
  );
}

/**
 * What the signed-in person has not read, on the tab that leads to it: Messages for
 * adopters; for staff the count also holds their organisation's inbox, so it goes on
 * Staff, which leads there. Asked again whenever a tab comes into view (also on coming
 * back from a conversation) and after a thread is read.
 */
function useUnreadBadges() {
  const { user } = useAuth();
  const unread = useUnread().data?.messages;
  const onStaff = user?.role === 'staff';
  const badge = (name: string, count: number | undefined) => {
    const words = formatUnread(count);
    return { tabBarBadge: badgeCount(count) ?? undefined, tabBarAccessibilityLabel: words ? `${name}, ${words}` : name };
  };
  return { messages: badge('Messages', onStaff ? undefined : unread), staff: badge('Staff', onStaff ? unread : undefined) };
}

export default function TabsLayout() {
  useNoInheritedParams();
  const { colors } = useTheme();
  const { user } = useAuth();
  // The tab bar has a fixed height (49 points); with a larger system font its icons
  // and labels grow, so it grows with them instead of cutting them off.
  const { fontScale } = useWindowDimensions();
  const insets = useSafeAreaInsets();
  const scaledHeight = fontScale > 1 ? { height: Math.ceil(49 * fontScale) + insets.bottom } : null;
  const refreshMessages = useRefreshMessages();
  const badges = useUnreadBadges();
  return (
    <Tabs
      screenListeners={{ focus: refreshMessages }}
      screenOptions={{
        headerStyle: { backgroundColor: colors.surface },
        headerTintColor: colors.text,
        tabBarStyle: { backgroundColor: colors.surface, borderTopColor: colors.border, ...scaledHeight },
        tabBarActiveTintColor: colors.primary,
        tabBarInactiveTintColor: colors.muted,
        tabBarBadgeStyle: { backgroundColor: colors.primary, color: colors.onPrimary },
      }}
    >
      <Tabs.Screen name="index" options={{ title: 'Browse', tabBarIcon: icon('◉'), tabBarAccessibilityLabel: 'Browse puppies' }} />
      <Tabs.Screen name="favorites" options={{ title: 'Favourites', tabBarIcon: icon('♥'), tabBarAccessibilityLabel: 'Favourites' }} />
      <Tabs.Screen name="messages" options={{ title: 'Messages', tabBarIcon: icon('✉'), ...badges.messages }} />
      <Tabs.Screen name="staff" options={{ title: 'Staff', tabBarIcon: icon('⌂'), ...badges.staff, href: isStaff(user) ? undefined : null }} />
      <Tabs.Screen name="account" options={{ title: 'Account', tabBarIcon: icon('☺'), tabBarAccessibilityLabel: 'Account' }} />
      <Tabs.Screen name="about" options={{ title: 'About', tabBarIcon: icon('ℹ'), tabBarAccessibilityLabel: 'About Kennel' }} />
    </Tabs>
  );
}
