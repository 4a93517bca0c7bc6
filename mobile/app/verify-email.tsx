import { useLocalSearchParams } from 'expo-router';

import { VerifyEmailScreen } from '@/features/account/EmailLinkScreens';
import { firstParam } from '@/features/account/links';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

/** Opened from the link in an email: `/verify-email?token=…` on the web, `kennel://verify-email?token=…` in the app. */
export default function VerifyEmailRoute() {
  const { token } = useLocalSearchParams<{ token?: string | string[] }>();
  return <VerifyEmailScreen token={firstParam(token)} />;
}
