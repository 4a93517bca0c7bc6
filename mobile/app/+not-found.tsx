import { router } from 'expo-router';

import { EmptyState } from '@/components/States';

export default function NotFound() {
  return <EmptyState title="Page not found" message="This page does not exist." actionLabel="Browse puppies" onAction={() => router.replace('/')} />;
}
