import { StaffScreen } from '@/features/staff/StaffScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function StaffRoute() {
  return <StaffScreen />;
}
