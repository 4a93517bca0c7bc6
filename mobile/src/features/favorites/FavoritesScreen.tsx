import { router } from 'expo-router';
import { StyleSheet, View } from 'react-native';

import { useAuth } from '@/auth/AuthProvider';
import { SkeletonList } from '@/components/Skeleton';
import { EmptyState, ErrorState, SignInState } from '@/components/States';
import { useTheme } from '@/theme';

import { openPuppy } from '../browse/BrowseScreen';
import { PuppyList } from '../browse/PuppyList';
import { useFavoritesList } from './useFavorites';

export function FavoritesScreen() {
  const { colors } = useTheme();
  const { token, ready } = useAuth();
  const list = useFavoritesList();
  const puppies = list.items;

  let body;
  if (!ready) body = <SkeletonList />;
  else if (!token) body = <SignInState title="Save puppies you love" message="Sign in to keep a list of favourites on all your devices." />;
  else if (list.isPending) body = <SkeletonList />;
  else if (list.isError) body = <ErrorState error={list.error} onRetry={list.retry} title="Couldn’t load your favourites" />;
  else if (puppies.length === 0)
    body = <EmptyState title="No favourites yet" message="Tap the heart on a puppy’s page to save it here." actionLabel="Browse puppies" onAction={() => router.navigate('/')} />;
  else
    body = (
      <PuppyList
        testID="favorites-list"
        puppies={puppies}
        onOpen={openPuppy}
        onEndReached={list.loadMore}
        loadingMore={list.loadingMore}
        refreshing={list.refreshing}
        onRefresh={list.refresh}
      />
    );
  return <View style={[styles.screen, { backgroundColor: colors.background }]}>{body}</View>;
}

const styles = StyleSheet.create({ screen: { flex: 1 } });
