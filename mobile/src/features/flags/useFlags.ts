import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { useAuth } from '@/auth/AuthProvider';

export type FeatureFlags = components['schemas']['FlagValues'];

export const FLAGS_OFF: FeatureFlags = { assistant: false, inquiries: false, photo_uploads: false, push_notifications: false };

/** Feature flags from GET /v1/config; every flag is off while unknown or when it fails. */
export function useFlags(): { flags: FeatureFlags; loading: boolean } {
  const { ready, token } = useAuth();
  const query = useQuery({
    queryKey: ['config', !!token],
    queryFn: () => unwrap(api.GET('/v1/config')),
    enabled: ready,
    staleTime: 5 * 60 * 1000,
    retry: 1,
  });
  const flags = query.data?.flags;
  return {
    flags: flags
      ? {
          assistant: flags.assistant === true,
          inquiries: flags.inquiries === true,
          photo_uploads: flags.photo_uploads === true,
          push_notifications: flags.push_notifications === true,
        }
      : FLAGS_OFF,
    loading: query.isPending && ready,
  };
}
