import { FavoritesScreen } from '@/features/favorites/FavoritesScreen';

export default function FavoritesRoute() {
  return <FavoritesScreen />;
}
