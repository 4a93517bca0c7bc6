import { AccountScreen } from '@/features/account/AccountScreen';

export default function AccountRoute() {
  return <AccountScreen />;
}
