import { router, usePathname, type ErrorBoundaryProps } from 'expo-router';
import { useEffect } from 'react';

import { captureRenderError } from '@/monitoring/sentry';

import { Button } from './Button';
import { PageMessage } from './PageMessage';

/**
 * What a screen shows instead of itself when it throws while rendering. Routes export
 * it as expo-router's `ErrorBoundary`, so the header, the Back control and the tab bar
 * around the screen keep working. The error goes to error tracking once (scrubbed like
 * every event); the person sees neither its message nor its stack.
 */
export function ScreenError({ error, retry }: ErrorBoundaryProps) {
  // On Browse itself, trying again is the way back to it.
  const onBrowse = usePathname() === '/';
  useEffect(() => captureRenderError(error), [error]);
  return (
    <PageMessage
      title="Something went wrong"
      message="This screen stopped working. Try again, or go back to the puppies."
      testID="screen-error"
      alert
    >
      <Button label="Try again" onPress={() => void retry()} accessibilityHint="Shows this screen again" />
      {onBrowse ? null : (
        <Button
          label="Browse puppies"
          variant="secondary"
          // The failed screen (or, for the root layout, the whole navigator) is
          // rendered again under the new address.
          onPress={() => {
            router.dismissTo('/');
            void retry();
          }}
          accessibilityLabel="Go to Browse puppies"
        />
      )}
    </PageMessage>
  );
}
