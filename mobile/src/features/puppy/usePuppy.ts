import { useMutation, useQuery, type UseMutationOptions } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export const puppyKey = (id: string) => ['puppy', id] as const;

type NewInquiry = components['schemas']['NewInquiry'];
type Inquiry = components['schemas']['Inquiry'];
type Message = components['schemas']['Message'];
type AssistantReply = components['schemas']['AssistantReply'];

/** What a form does around a request (show it sent, take it back); the request itself stays here. */
type Handlers<Result, Variables> = Pick<UseMutationOptions<Result, Error, Variables>, 'onMutate' | 'onError' | 'onSuccess'>;

export function usePuppy(id: string) {
  return useQuery({
    queryKey: puppyKey(id),
    queryFn: () => unwrap(api.GET('/v1/puppies/{id}', { params: { path: { id } } })),
  });
}

/** "Contact shelter": sends an inquiry about the puppy. */
export function useSendInquiry(puppyId: string, handlers: Handlers<Inquiry, NewInquiry> = {}) {
  return useMutation({
    ...handlers,
    mutationFn: (body: NewInquiry) => unwrap(api.POST('/v1/puppies/{id}/inquiries', { params: { path: { id: puppyId } }, body })),
  });
}

/** Asks the assistant about the puppy, sending the conversation so far. */
export function useAskAssistant(puppyId: string, handlers: Handlers<AssistantReply, Message[]> = {}) {
  return useMutation({
    ...handlers,
    mutationFn: (messages: Message[]) => unwrap(api.POST('/v1/assistant/messages', { body: { puppy_id: puppyId, messages } })),
  });
}
