import type { components } from '@/api/schema';

export type Size = components['schemas']['Size'];
export type Sex = components['schemas']['Sex'];
export type AgeGroup = components['schemas']['AgeGroup'];
export type GoodWith = components['schemas']['GoodWith'];
export type Sort = components['schemas']['Sort'];

export type Place = { label: string; latitude: number; longitude: number };

export type Filters = {
  q: string;
  breeds: string[];
  sizes: Size[];
  sexes: Sex[];
  ages: AgeGroup[];
  goodWith: GoodWith[];
  near: Place | null;
  radiusKm: number;
};

export const EMPTY_FILTERS: Filters = {
  q: '',
  breeds: [],
  sizes: [],
  sexes: [],
  ages: [],
  goodWith: [],
  near: null,
  radiusKm: 50,
};

export const SIZES: Size[] = ['small', 'medium', 'large', 'giant'];
export const SEXES: Sex[] = ['female', 'male'];
export const AGES: AgeGroup[] = ['baby', 'young', 'adult', 'senior'];
export const GOOD_WITH: GoodWith[] = ['kids', 'dogs', 'cats'];
export const RADII = [10, 25, 50, 100, 250, 500];

export const PAGE_SIZE = 20;

/** The query string of GET /v1/puppies for these filters. */
export function toQuery(filters: Filters, cursor?: string) {
  const query: {
    q?: string;
    breed?: string[];
    size?: Size[];
    sex?: Sex[];
    age?: AgeGroup[];
    good_with?: GoodWith[];
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
  if (filters.goodWith.length) query.good_with = filters.goodWith;
  if (filters.near) {
    query.near = `${filters.near.latitude.toFixed(4)},${filters.near.longitude.toFixed(4)}`;
    query.radius_km = filters.radiusKm;
    query.sort = 'distance';
  }
  if (cursor) query.cursor = cursor;
  return query;
}

export function countActive(filters: Filters): number {
  return (
    filters.breeds.length + filters.sizes.length + filters.sexes.length + filters.ages.length + filters.goodWith.length + (filters.near ? 1 : 0)
  );
}

export function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
