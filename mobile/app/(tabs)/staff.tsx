import { StaffScreen } from '@/features/staff/StaffScreen';

export default function StaffRoute() {
  return <StaffScreen />;
}
