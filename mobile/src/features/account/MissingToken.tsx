import type { ReactNode } from 'react';

import { Button } from '@/components/Button';
import { PageMessage } from '@/components/PageMessage';

import { toBrowse } from './links';

/** A link from an email opened without its token (cut short when copied, or typed by hand). */
export function MissingToken({ what, children, testID }: { what: string; children?: ReactNode; testID: string }) {
  return (
    <PageMessage
      title="This link is incomplete"
      message={`The link to ${what} is missing part of its address. Open it again from the email, or copy all of it.`}
      testID={testID}
    >
      {children}
      <Button label="Browse puppies" variant="secondary" onPress={toBrowse} accessibilityLabel="Go to Browse puppies" />
    </PageMessage>
  );
}
