import { AccountScreen } from '@/features/account/AccountScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function AccountRoute() {
  return <AccountScreen />;
}
