import { InquiriesScreen } from '@/features/staff/InquiriesScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function InquiriesRoute() {
  return <InquiriesScreen />;
}
