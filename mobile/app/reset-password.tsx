import { useLocalSearchParams } from 'expo-router';

import { ResetPasswordScreen } from '@/features/account/ResetPasswordScreen';
import { firstParam } from '@/features/account/links';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

/** Opened from the link in an email: `/reset-password?token=…` on the web, `kennel://reset-password?token=…` in the app. */
export default function ResetPasswordRoute() {
  const { token } = useLocalSearchParams<{ token?: string | string[] }>();
  return <ResetPasswordScreen token={firstParam(token)} />;
}
