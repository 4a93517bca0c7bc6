import { useMutation, useQuery, useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import * as Crypto from 'expo-crypto';
import { useCallback, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { ApiError } from '@/api/errors';
import type { components } from '@/api/schema';
import { ME_KEY } from '@/auth/AuthProvider';

import { isEmailUnverified } from '../inquiries/message';
import { inquiryKeys } from '../inquiries/useInquiries';

export const puppyKey = (id: string) => ['puppy', id] as const;

type NewInquiry = components['schemas']['NewInquiry'];
type Inquiry = components['schemas']['Inquiry'];
type Message = components['schemas']['Message'];
type AssistantReply = components['schemas']['AssistantReply'];
/** One try of an inquiry: what it says, and its draft's Idempotency-Key. */
type InquiryTry = { body: NewInquiry; key: string };

/** What a form does around a request (show it sent, take it back); the request itself stays here. */
type Handlers<Result, Variables> = Pick<UseMutationOptions<Result, Error, Variables>, 'onMutate' | 'onError' | 'onSuccess'>;

export function usePuppy(id: string) {
  return useQuery({
    queryKey: puppyKey(id),
    queryFn: () => unwrap(api.GET('/v1/puppies/{id}', { params: { path: { id } } })),
  });
}

/**
 * "Contact shelter": sends an inquiry about the puppy. Each draft has its own
 * Idempotency-Key, made once and sent with every try of that draft: a try whose answer
 * was lost (the inquiry did reach the shelter) and the Retry after it send it once.
 * The next draft gets a new key only when a try succeeds.
 */
export function useSendInquiry(puppyId: string, { onMutate, onError, onSuccess }: Handlers<Inquiry, InquiryTry> = {}) {
  const [key, setKey] = useState(() => Crypto.randomUUID());
  const queryClient = useQueryClient();
  const mutation = useMutation<Inquiry, Error, InquiryTry>({
    onMutate,
    mutationFn: ({ body, key }) =>
      unwrap(api.POST('/v1/puppies/{id}/inquiries', { params: { path: { id: puppyId }, header: { 'Idempotency-Key': key } }, body })),
    onSuccess: (...args) => {
      setKey(Crypto.randomUUID());
      return onSuccess?.(...args);
    },
    onError: (...args) => {
      const [error] = args;
      if (error instanceof ApiError && error.code === 'idempotency_key_reused') {
        // The draft was sent before, with other text: that inquiry is in Messages,
        // and what is in the form now is a new inquiry with a key of its own.
        void queryClient.invalidateQueries({ queryKey: inquiryKeys.mine });
        setKey(Crypto.randomUUID());
      }
      // The account here said the address was confirmed: ask for it again.
      if (isEmailUnverified(error)) void queryClient.invalidateQueries({ queryKey: ME_KEY });
      return onError?.(...args);
    },
  });
  const { mutate } = mutation;
  const send = useCallback((body: NewInquiry) => mutate({ body, key }), [mutate, key]);
  return { send, sending: mutation.isPending };
}

/** Asks the assistant about the puppy, sending the conversation so far. */
export function useAskAssistant(puppyId: string, handlers: Handlers<AssistantReply, Message[]> = {}) {
  return useMutation({
    ...handlers,
    mutationFn: (messages: Message[]) => unwrap(api.POST('/v1/assistant/messages', { body: { puppy_id: puppyId, messages } })),
  });
}
