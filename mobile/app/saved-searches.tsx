import { SavedSearchesScreen } from '@/features/searches/SavedSearchesScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

/** From Browse and from Account. */
export default function SavedSearchesRoute() {
  return <SavedSearchesScreen />;
}
