import { useLocalSearchParams } from 'expo-router';

import { ConfirmEmailScreen } from '@/features/account/EmailLinkScreens';
import { firstParam } from '@/features/account/links';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

/** Opened from the link in an email: `/confirm-email?token=…` on the web, `kennel://confirm-email?token=…` in the app. */
export default function ConfirmEmailRoute() {
  const { token } = useLocalSearchParams<{ token?: string | string[] }>();
  return <ConfirmEmailScreen token={firstParam(token)} />;
}
