import { NewPuppyScreen } from '@/features/staff/PuppyFormScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function NewPuppyRoute() {
  return <NewPuppyScreen />;
}
