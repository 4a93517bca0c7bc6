import { Stack, useLocalSearchParams } from 'expo-router';

import { PuppyDetailScreen } from '@/features/puppy/PuppyDetailScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function PuppyRoute() {
  const { id } = useLocalSearchParams<{ id: string }>();
  return (
    <>
      <Stack.Screen options={{ title: 'Puppy' }} />
      <PuppyDetailScreen id={String(id)} />
    </>
  );
}
