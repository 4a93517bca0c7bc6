import { ForgotPasswordScreen } from '@/features/account/ForgotPasswordScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

/** From the sign-in form, and from the link in emails about the password. */
export default function ForgotPasswordRoute() {
  return <ForgotPasswordScreen />;
}
