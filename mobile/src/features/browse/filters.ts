import { createQuerySerializer } from 'openapi-fetch';

import type { components } from '@/api/schema';
import { defaultRadiusKm } from '@/format';

import { CITIES } from './cities';

export type Size = components['schemas']['Size'];
export type Sex = components['schemas']['Sex'];
export type AgeGroup = components['schemas']['AgeGroup'];
export type GoodWith = components['schemas']['GoodWith'];
export type Coat = components['schemas']['Coat'];
export type Status = components['schemas']['Status'];
export type Sort = components['schemas']['Sort'];

export type Place = { label: string; latitude: number; longitude: number };

export type Filters = {
  q: string;
  breeds: string[];
  sizes: Size[];
  sexes: Sex[];
  ages: AgeGroup[];
  coats: Coat[];
  goodWith: GoodWith[];
  /** Empty: the API's default, available puppies only. */
  statuses: Status[];
  near: Place | null;
  /** null: 50 in the unit of the person's region. */
  radiusKm: number | null;
  /** null: nearest first with a place, newest first without. */
  sort: Sort | null;
};

export const EMPTY_FILTERS: Filters = {
  q: '',
  breeds: [],
  sizes: [],
  sexes: [],
  ages: [],
  coats: [],
  goodWith: [],
  statuses: [],
  near: null,
  radiusKm: null,
  sort: null,
};

// Every value the API accepts, in the order the filter panel shows them.
export const SIZES: Size[] = ['small', 'medium', 'large', 'giant'];
export const SEXES: Sex[] = ['female', 'male'];
export const AGES: AgeGroup[] = ['baby', 'young', 'adult', 'senior'];
export const COATS: Coat[] = ['hairless', 'short', 'medium', 'long', 'wire', 'curly'];
export const GOOD_WITH: GoodWith[] = ['kids', 'dogs', 'cats'];
export const STATUSES: Status[] = ['available', 'pending', 'adopted'];

export const SORTS: { value: Sort; label: string; needsPlace: boolean }[] = [
  { value: 'distance', label: 'Nearest first', needsPlace: true },
  { value: '-distance', label: 'Farthest first', needsPlace: true },
  { value: 'newest', label: 'Newest first', needsPlace: false },
  { value: '-newest', label: 'Oldest first', needsPlace: false },
  { value: 'fee', label: 'Lowest fee first', needsPlace: false },
  { value: '-fee', label: 'Highest fee first', needsPlace: false },
];

const isDistanceSort = (sort: Sort) => sort === 'distance' || sort === '-distance';

/** The sort orders on offer: distance only when there is a place to measure from. */
export function sortChoices(filters: Pick<Filters, 'near'>) {
  return SORTS.filter((s) => !s.needsPlace || filters.near);
}

/** The order the list is in: the chosen one, or the default for these filters. */
export function effectiveSort(filters: Pick<Filters, 'near' | 'sort'>): Sort {
  if (filters.sort && (filters.near || !isDistanceSort(filters.sort))) return filters.sort;
  return filters.near ? 'distance' : 'newest';
}

export function effectiveRadiusKm(filters: Pick<Filters, 'radiusKm'>): number {
  return filters.radiusKm ?? defaultRadiusKm();
}

export const PAGE_SIZE = 20;

/** The query string of GET /v1/puppies for these filters. */
export function toQuery(filters: Filters, cursor?: string) {
  const query: {
    q?: string;
    breed?: string[];
    size?: Size[];
    sex?: Sex[];
    age?: AgeGroup[];
    coat?: Coat[];
    good_with?: GoodWith[];
    status?: Status[];
    near?: string;
    radius_km?: number;
    sort?: Sort;
    limit: number;
    cursor?: string;
  } = { limit: PAGE_SIZE };
  const q = filters.q.trim();
  if (q) query.q = q;
  if (filters.breeds.length) query.breed = filters.breeds;
  if (filters.sizes.length) query.size = filters.sizes;
  if (filters.sexes.length) query.sex = filters.sexes;
  if (filters.ages.length) query.age = filters.ages;
  if (filters.coats.length) query.coat = filters.coats;
  if (filters.goodWith.length) query.good_with = filters.goodWith;
  if (filters.statuses.length) query.status = filters.statuses;
  if (filters.near) {
    query.near = `${filters.near.latitude.toFixed(4)},${filters.near.longitude.toFixed(4)}`;
    query.radius_km = effectiveRadiusKm(filters);
  }
  const sort = effectiveSort(filters);
  // newest is the API's default: left out, the query stays as it was.
  if (sort !== 'newest') query.sort = sort;
  if (cursor) query.cursor = cursor;
  return query;
}

/** How many filters are set (the sort order is not a filter). */
export function countActive(filters: Filters): number {
  return (
    filters.breeds.length +
    filters.sizes.length +
    filters.sexes.length +
    filters.ages.length +
    filters.coats.length +
    filters.goodWith.length +
    filters.statuses.length +
    (filters.near ? 1 : 0)
  );
}

export function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** Whether anything narrows the list: a filter or a search (the sort order alone does not). */
export function hasFilters(filters: Filters): boolean {
  return countActive(filters) > 0 || filters.q.trim() !== '';
}

const serializeQuery = createQuerySerializer();

/**
 * The query string of GET /v1/puppies for these filters, written as the client sends
 * it, without `limit` and `cursor`: what a saved search keeps.
 */
export function savedQuery(filters: Filters): string {
  const { limit: _limit, cursor: _cursor, ...query } = toQuery(filters);
  return serializeQuery(query);
}

/** What a place is called when it is none of the cities on offer. */
export const SAVED_PLACE = 'a saved location';

function placeAt(latitude: number, longitude: number): Place {
  const at = (n: number) => n.toFixed(4);
  const city = CITIES.find((c) => at(c.latitude) === at(latitude) && at(c.longitude) === at(longitude));
  return { label: city?.name ?? SAVED_PLACE, latitude, longitude };
}

/**
 * The filters of a browse query string (a saved search's): the opposite of
 * `savedQuery`, so the list asks for the same puppies. Values the app does not offer
 * are left out.
 */
export function fromQuery(query: string): Filters {
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  // Repeated (size=small&size=large) or comma-separated (size=small,large).
  const all = (name: string) => params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const only = <T extends string>(name: string, allowed: readonly T[]) => all(name).filter((v): v is T => (allowed as readonly string[]).includes(v));
  const filters: Filters = {
    ...EMPTY_FILTERS,
    q: params.get('q')?.trim() ?? '',
    breeds: all('breed'),
    sizes: only('size', SIZES),
    sexes: only('sex', SEXES),
    ages: only('age', AGES),
    coats: only('coat', COATS),
    goodWith: only('good_with', GOOD_WITH),
    statuses: only('status', STATUSES),
  };
  const [latitude, longitude] = (params.get('near') ?? '').split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (Number.isFinite(latitude) && Number.isFinite(longitude)) {
    filters.near = placeAt(latitude!, longitude!);
    const radius = Number(params.get('radius_km'));
    if (params.get('radius_km') && Number.isFinite(radius) && radius > 0) filters.radiusKm = radius;
  }
  // Without a sort the API lists the newest first, with a place or without one.
  const sort = SORTS.find((s) => s.value === params.get('sort'))?.value;
  filters.sort = sort ?? 'newest';
  return filters;
}
