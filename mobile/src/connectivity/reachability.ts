import { env } from '@/config/env';

/**
 * Whether the API answered recently. A request that fails without a response marks
 * it unreachable; a light probe of /healthz then runs with backoff until the API
 * answers again.
 */
type Listener = (reachable: boolean) => void;

let reachable = true;
let timer: ReturnType<typeof setTimeout> | null = null;
let attempt = 0;
const listeners = new Set<Listener>();

export const PROBE_MIN_MS = 1000;
export const PROBE_MAX_MS = 10000;

export function isApiReachable(): boolean {
  return reachable;
}

export function subscribeReachability(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(value: boolean) {
  if (reachable === value) return;
  reachable = value;
  for (const listener of listeners) listener(value);
}

export function reportUnreachable(): void {
  set(false);
  if (!timer) schedule();
}

export function reportReachable(): void {
  stopProbing();
  set(true);
}

function schedule() {
  const delay = Math.min(PROBE_MAX_MS, PROBE_MIN_MS * 2 ** attempt);
  attempt += 1;
  timer = setTimeout(probe, delay);
}

async function probe() {
  timer = null;
  try {
    const response = await globalThis.fetch(`${env.apiUrl}/healthz`, { method: 'GET' });
    if (response.status < 500) {
      reportReachable();
      return;
    }
  } catch {
    // still unreachable
  }
  if (!reachable) schedule();
}

export function stopProbing(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  attempt = 0;
}

/** Tests: back to the initial state. */
export function resetReachability(): void {
  stopProbing();
  reachable = true;
  listeners.clear();
}
