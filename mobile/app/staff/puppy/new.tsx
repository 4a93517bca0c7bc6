import { NewPuppyScreen } from '@/features/staff/PuppyFormScreen';

export default function NewPuppyRoute() {
  return <NewPuppyScreen />;
}
