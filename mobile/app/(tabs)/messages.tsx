import { MessagesScreen } from '@/features/inquiries/MessagesScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function MessagesRoute() {
  return <MessagesScreen />;
}
