import { useLocalSearchParams } from 'expo-router';

import { ThreadScreen } from '@/features/inquiries/ThreadScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function InquiryRoute() {
  const { id } = useLocalSearchParams<{ id: string }>();
  return <ThreadScreen id={String(id)} />;
}
