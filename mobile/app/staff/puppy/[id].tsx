import { useLocalSearchParams } from 'expo-router';

import { EditPuppyScreen } from '@/features/staff/PuppyFormScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function EditPuppyRoute() {
  const { id } = useLocalSearchParams<{ id: string }>();
  return <EditPuppyScreen id={String(id)} />;
}
