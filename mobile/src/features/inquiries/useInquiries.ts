import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import * as Crypto from 'expo-crypto';
import { useCallback, useState } from 'react';

import { api, unwrap, unwrapTagged } from '@/api/client';
import { ApiError } from '@/api/errors';
import type { components } from '@/api/schema';
import { shouldRetry } from '@/api/retry';
import { usePagedList } from '@/api/usePagedList';
import { ME_KEY, useAuth, type Me } from '@/auth/AuthProvider';

import { isEmailUnverified } from './message';

export type Inquiry = components['schemas']['Inquiry'];
/** Who wrote a message: the adopter, or the organisation's staff. */
export type Side = components['schemas']['Side'];
type StatusChange = components['schemas']['InquiryStatusChange'];

/** A thread with its ETag, which a status or assignee change sends back in If-Match. */
export type Thread = { inquiry: Inquiry; etag: string | null };

/**
 * Every key starts with "inquiries", so signing out forgets all of them
 * (AuthProvider's private keys); the organisation inbox's keys are in useStaff.ts.
 */
export const inquiryKeys = {
  mine: ['inquiries', 'mine'] as const,
  myList: ['inquiries', 'mine', 'list'] as const,
  unread: ['inquiries', 'unread'] as const,
  organization: ['inquiries', 'organization'] as const,
  thread: (id: string) => ['inquiries', 'thread', id] as const,
};

/** After a thread is read or written to: both inboxes and the unread counts ask again. */
function refreshInboxes(queryClient: QueryClient) {
  for (const queryKey of [inquiryKeys.mine, inquiryKeys.organization, inquiryKeys.unread]) void queryClient.invalidateQueries({ queryKey });
}

/** Whether the person answers for the thread's organisation (its staff, or an admin) rather than as its adopter. */
export function speaksForOrganization(user: Me | null, inquiry: Inquiry): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'staff' && user.organization_id === inquiry.organization_id);
}

/** The signed-in person's own conversations with shelters, newest activity first, page by page. */
export function useMyInquiries() {
  const { token, ready } = useAuth();
  return usePagedList({
    queryKey: inquiryKeys.myList,
    enabled: ready && !!token,
    fetchPage: (cursor) => unwrap(api.GET('/v1/me/inquiries', { params: { query: { limit: 20, cursor } } })),
  });
}

/** What the signed-in person has not read yet (for staff, their organisation's inbox too). */
export function useUnread() {
  const { token, ready } = useAuth();
  return useQuery({
    queryKey: inquiryKeys.unread,
    enabled: ready && !!token,
    queryFn: () => unwrap(api.GET('/v1/me/unread')),
  });
}

/** Asks again for the unread counts and the person's own inbox (a screen came into view). */
export function useRefreshMessages() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    for (const queryKey of [inquiryKeys.unread, inquiryKeys.mine]) void queryClient.invalidateQueries({ queryKey });
  }, [queryClient]);
}

/** The adopter's name, or what is left of a deleted account. */
export const adopterName = (inquiry: Inquiry) => inquiry.adopter?.display_name ?? 'Deleted account';

/** One conversation with all its messages, and its ETag. */
export function useThread(id: string) {
  const { token, ready } = useAuth();
  return useQuery({
    queryKey: inquiryKeys.thread(id),
    enabled: ready && !!token,
    queryFn: async (): Promise<Thread> => {
      const { data, etag } = await unwrapTagged(api.GET('/v1/inquiries/{id}', { params: { path: { id } } }));
      return { inquiry: data, etag };
    },
  });
}

/** A thread that is not there for this person: no such id, someone else's, or not an id at all. */
export function isMissingThread(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || (error.status === 400 && 'id' in error.fieldErrors));
}

/** Marks the thread read for the person's side; the badges and inboxes then ask again. */
export function useMarkRead(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/inquiries/{id}/read', { params: { path: { id } } })),
    // Marking read twice is the same as once: safe to repeat after a network failure.
    retry: (count, error) => shouldRetry(count, error, 2),
    onSuccess: () => {
      queryClient.setQueryData<Thread>(inquiryKeys.thread(id), (thread) => thread && { ...thread, inquiry: { ...thread.inquiry, unread_count: 0 } });
      refreshInboxes(queryClient);
    },
  });
}

/** The answer to a message or a change: the thread as it is now. */
function useThreadAnswer(id: string) {
  const queryClient = useQueryClient();
  return useCallback(
    ({ data, etag }: { data: Inquiry; etag: string | null }) => {
      // A replayed answer (Idempotent-Replayed) is the first one again, with no ETag: ask for the thread as it is now.
      if (etag) queryClient.setQueryData<Thread>(inquiryKeys.thread(id), { inquiry: data, etag });
      else void queryClient.invalidateQueries({ queryKey: inquiryKeys.thread(id) });
      refreshInboxes(queryClient);
    },
    [queryClient, id],
  );
}

/**
 * The reply being written, and sending it. Each draft has its own Idempotency-Key,
 * made once and sent with every try of that draft: a try whose answer was lost
 * (the reply did reach the server) and the Retry after it post the reply once.
 * The text stays until a try succeeds; then it clears and the next draft gets a new key.
 */
export function useReplyDraft(id: string) {
  const [text, setText] = useState('');
  const [key, setKey] = useState(() => Crypto.randomUUID());
  const queryClient = useQueryClient();
  const answered = useThreadAnswer(id);
  const mutation = useMutation({
    mutationFn: ({ message, key }: { message: string; key: string }) =>
      unwrapTagged(api.POST('/v1/inquiries/{id}/replies', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body: { message } })),
    onSuccess: (answer) => {
      answered(answer);
      setText('');
      setKey(Crypto.randomUUID());
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'idempotency_key_reused') {
        // The draft was sent before, with other text: that message is in the thread,
        // and what is in the box now is a new message with a key of its own.
        void queryClient.invalidateQueries({ queryKey: inquiryKeys.thread(id) });
        setKey(Crypto.randomUUID());
      }
      // The account here said the address was confirmed: ask for it again.
      if (isEmailUnverified(error)) void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const { mutate } = mutation;
  const send = useCallback(() => mutate({ message: text.trim(), key }), [mutate, text, key]);
  return { text, setText, send, sending: mutation.isPending, error: mutation.isError ? mutation.error : null };
}

type Change = { status: StatusChange } | { assignee: string | null };

/**
 * Closes, reopens or assigns the thread (its organisation's side), with If-Match from
 * the thread's ETag: if someone changed it since (412), the thread is loaded again.
 */
export function useChangeThread(id: string) {
  const queryClient = useQueryClient();
  const answered = useThreadAnswer(id);
  return useMutation({
    mutationFn: (change: Change) => {
      const etag = queryClient.getQueryData<Thread>(inquiryKeys.thread(id))?.etag ?? '';
      const params = { path: { id }, header: { 'If-Match': etag } };
      return 'status' in change
        ? unwrapTagged(api.PUT('/v1/inquiries/{id}/status', { params, body: { status: change.status } }))
        : unwrapTagged(api.PUT('/v1/inquiries/{id}/assignee', { params, body: { assignee: change.assignee } }));
    },
    onSuccess: answered,
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 412 || error.status === 428)) void queryClient.invalidateQueries({ queryKey: inquiryKeys.thread(id) });
    },
  });
}
