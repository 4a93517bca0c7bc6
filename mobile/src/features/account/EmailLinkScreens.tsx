import { ActivityIndicator } from 'react-native';

import { friendlyMessage } from '@/api/errors';
import { useAuth } from '@/auth/AuthProvider';
import { Button } from '@/components/Button';
import { PageMessage } from '@/components/PageMessage';
import { useTheme } from '@/theme';

import { toAccount, toBrowse } from './links';
import { MissingToken } from './MissingToken';
import { ResendVerification } from './ResendVerification';
import { useConfirmEmailChange, useVerifyEmail } from './useAccountEmail';

const BrowseButton = () => <Button label="Browse puppies" variant="secondary" onPress={toBrowse} accessibilityLabel="Go to Browse puppies" />;
const AccountButton = () => <Button label="Go to your account" onPress={toAccount} accessibilityHint="Opens Account" />;

function Confirming({ title, testID }: { title: string; testID: string }) {
  const { colors } = useTheme();
  return (
    <PageMessage title={title} message="This takes a moment." testID={testID}>
      <ActivityIndicator color={colors.primary} accessibilityLabel="Confirming" />
    </PageMessage>
  );
}

/** A confirmation that did not get an answer (offline, or the API failing): the way to try again. */
function Failed({ title, error, onRetry, testID }: { title: string; error: unknown; onRetry: () => void; testID: string }) {
  return (
    <PageMessage title={title} message={friendlyMessage(error)} testID={testID} alert>
      <Button label="Try again" onPress={onRetry} accessibilityHint="Sends the link again" />
      <BrowseButton />
    </PageMessage>
  );
}

/**
 * How to get a new confirmation link: signed in with an unconfirmed address, right
 * here; signed out, from Account once signed in.
 */
function NewConfirmationLink() {
  const { token, user } = useAuth();
  if (!token) return <Button label="Sign in to get a new link" onPress={toAccount} accessibilityHint="Opens Account" />;
  if (user && !user.email_verified) return <ResendVerification label="Send a new link" />;
  return <AccountButton />;
}

/** `/verify-email?token=…`: confirms the account's address as soon as it opens. */
export function VerifyEmailScreen({ token }: { token: string | null }) {
  const confirmation = useVerifyEmail(token);
  const { user } = useAuth();
  if (!token) {
    return (
      <MissingToken what="confirm your email address" testID="verify-email-no-token">
        <NewConfirmationLink />
      </MissingToken>
    );
  }
  if (confirmation.isPending) return <Confirming title="Confirming your email address…" testID="verify-email-pending" />;
  if (confirmation.isError) {
    return <Failed title="Couldn’t confirm your email address" error={confirmation.error} onRetry={() => void confirmation.refetch()} testID="verify-email-failed" />;
  }
  if (confirmation.data === 'confirmed') {
    return (
      <PageMessage title="Email address confirmed" message="Thank you: your address is confirmed." testID="verify-email-done" alert>
        <BrowseButton />
        <AccountButton />
      </PageMessage>
    );
  }
  const alreadyConfirmed = !!user?.email_verified;
  return (
    <PageMessage
      title="This link has expired or was used"
      message={
        alreadyConfirmed
          ? 'Your email address is already confirmed, so there is nothing more to do.'
          : 'A confirmation link works once, for a limited time. Get a new one and use the latest email.'
      }
      testID="verify-email-expired"
      alert
    >
      <NewConfirmationLink />
      <BrowseButton />
    </PageMessage>
  );
}

/** `/confirm-email?token=…`: moves the account to the new address the link was sent to, as soon as it opens. */
export function ConfirmEmailScreen({ token }: { token: string | null }) {
  const confirmation = useConfirmEmailChange(token);
  if (!token) {
    return (
      <MissingToken what="confirm your new email address" testID="confirm-email-no-token">
        <AccountButton />
      </MissingToken>
    );
  }
  if (confirmation.isPending) return <Confirming title="Confirming your new email address…" testID="confirm-email-pending" />;
  if (confirmation.isError) {
    return <Failed title="Couldn’t confirm your new email address" error={confirmation.error} onRetry={() => void confirmation.refetch()} testID="confirm-email-failed" />;
  }
  const outcome = confirmation.data;
  return (
    <PageMessage
      title={outcome === 'confirmed' ? 'New email address confirmed' : outcome === 'taken' ? 'That address is taken' : 'This link has expired or was used'}
      message={
        outcome === 'confirmed'
          ? 'From now on, sign in with your new address.'
          : outcome === 'taken'
            ? 'Another account started using this address after the link was sent, so your email address has not changed.'
            : 'A link to confirm a new address works once, for a limited time. Your email address has not changed.'
      }
      testID={`confirm-email-${outcome === 'confirmed' ? 'done' : outcome}`}
      alert
    >
      <AccountButton />
      <BrowseButton />
    </PageMessage>
  );
}
