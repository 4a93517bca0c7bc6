import NetInfo from '@react-native-community/netinfo';
import { onlineManager } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';

import { isApiReachable, subscribeReachability } from './reachability';

/**
 * Connectivity as the app sees it: the device's network (NetInfo) and whether the
 * API answers. React Query's onlineManager follows both, so queries pause while
 * either is down and resume by themselves when both are back.
 */
export type Connectivity = { deviceOnline: boolean; apiReachable: boolean };

let state: Connectivity = { deviceOnline: true, apiReachable: isApiReachable() };
const listeners = new Set<() => void>();

function update(next: Partial<Connectivity>) {
  const merged = { ...state, ...next };
  if (merged.deviceOnline === state.deviceOnline && merged.apiReachable === state.apiReachable) return;
  state = merged;
  for (const listener of listeners) listener();
}

/** Wires NetInfo and the reachability monitor to React Query. Returns a cleanup. */
export function startConnectivity(): () => void {
  onlineManager.setEventListener((setOnline) => {
    const apply = () => setOnline(state.deviceOnline && state.apiReachable);
    const offNet = NetInfo.addEventListener((net) => {
      // isConnected is null while unknown: treat that as online.
      update({ deviceOnline: net.isConnected !== false });
      apply();
    });
    const offApi = subscribeReachability((reachable) => {
      update({ apiReachable: reachable });
      apply();
    });
    apply();
    return () => {
      offNet();
      offApi();
    };
  });
  return () => onlineManager.setEventListener(() => undefined);
}

export function useConnectivity(): Connectivity {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
    () => state,
  );
}

/** Tests: back to the initial state. */
export function resetConnectivity(): void {
  state = { deviceOnline: true, apiReachable: true };
}
