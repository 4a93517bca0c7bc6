import { BrowseScreen } from '@/features/browse/BrowseScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function BrowseRoute() {
  return <BrowseScreen />;
}
