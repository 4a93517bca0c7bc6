import { FavoritesScreen } from '@/features/favorites/FavoritesScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function FavoritesRoute() {
  return <FavoritesScreen />;
}
