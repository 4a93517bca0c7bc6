import { InquiriesScreen } from '@/features/staff/InquiriesScreen';

export default function InquiriesRoute() {
  return <InquiriesScreen />;
}
