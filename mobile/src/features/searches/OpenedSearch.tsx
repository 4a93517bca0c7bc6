import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import { useAuth } from '@/auth/AuthProvider';

import { fromQuery, savedQuery, type Filters } from '../browse/filters';
import type { SavedSearch } from './useSavedSearches';

/** A saved search the person opened, for Browse to show. */
export type OpenedSearch = {
  /** A new one for every opening, also of the same search. */
  key: number;
  id: string;
  name: string;
  filters: Filters;
  /** `savedQuery(filters)`: Browse shows the search while its filters are these. */
  query: string;
  /** Puppies listed after this are new to the person. */
  newSince: string;
  /** The first visit: new since the search was saved. */
  firstVisit: boolean;
};

type Value = {
  opened: OpenedSearch | null;
  show: (search: SavedSearch, newSince: string) => void;
  /** A search renamed: Browse shows its new name. */
  renamed: (search: SavedSearch) => void;
  /** A search deleted: Browse no longer names it. */
  deleted: (id: string) => void;
};

const OpenedSearchContext = createContext<Value | null>(null);

/** Hands an opened saved search from its screen to Browse (forgotten on signing out). */
export function OpenedSearchProvider({ children }: { children: ReactNode }) {
  const { token } = useAuth();
  const [opened, setOpened] = useState<OpenedSearch | null>(null);
  useEffect(() => {
    if (!token) setOpened(null);
  }, [token]);
  const show = useCallback((search: SavedSearch, newSince: string) => {
    const filters = fromQuery(search.query);
    setOpened((previous) => ({
      key: (previous?.key ?? 0) + 1,
      id: search.id,
      name: search.name,
      filters,
      query: savedQuery(filters),
      newSince,
      firstVisit: Date.parse(newSince) === Date.parse(search.created_at),
    }));
  }, []);
  const renamed = useCallback((search: SavedSearch) => setOpened((o) => (o && o.id === search.id ? { ...o, name: search.name } : o)), []);
  const deleted = useCallback((id: string) => setOpened((o) => (o && o.id === id ? null : o)), []);
  const value = useMemo(() => ({ opened, show, renamed, deleted }), [opened, show, renamed, deleted]);
  return <OpenedSearchContext.Provider value={value}>{children}</OpenedSearchContext.Provider>;
}

export function useOpenedSearch(): Value {
  const value = useContext(OpenedSearchContext);
  if (!value) throw new Error('useOpenedSearch must be used inside OpenedSearchProvider');
  return value;
}

/** Whether a puppy was listed after `since`. */
export function listedAfter(puppy: { listed_at: string }, since: string): boolean {
  return Date.parse(puppy.listed_at) > Date.parse(since);
}
