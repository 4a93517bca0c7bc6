import { useMemo } from 'react';

import { capitalise, formatLength, label } from '@/format';

import { effectiveRadiusKm, effectiveSort, SORTS, type Filters } from '../browse/filters';
import { useBreeds } from '../browse/usePuppies';

/** The names of breeds by slug, as far as they are known (the slug stands in otherwise). */
export type BreedNames = ReadonlyMap<string, string>;

/** The most characters a saved search's name may have (the API's limit). */
export const NAME_MAX = 80;

/** Characters as the API counts them: an emoji is one. */
export const nameLength = (name: string) => [...name.trim()].length;

const breedName = (slug: string, names: BreedNames) => names.get(slug) ?? capitalise(slug.replace(/-/g, ' '));

/** The filters in words, one part each: "“calm”", "Small", "Beagle", "within 50 mi of Portland, OR". */
function parts(filters: Filters, names: BreedNames): string[] {
  const out: string[] = [];
  const q = filters.q.trim();
  if (q) out.push(`“${q}”`);
  out.push(...filters.sizes.map(label.size));
  out.push(...filters.breeds.map((slug) => breedName(slug, names)));
  out.push(...filters.sexes.map(label.sex));
  out.push(...filters.ages.map(label.age));
  out.push(...filters.coats.map((c) => `${label.coat(c)} coat`));
  out.push(...filters.goodWith.map((g) => `Good with ${label.goodWith(g).toLowerCase()}`));
  out.push(...filters.statuses.map(label.status));
  if (filters.near) {
    const place = filters.near.label === 'My location' ? 'my location' : filters.near.label;
    out.push(`within ${formatLength(effectiveRadiusKm(filters))} of ${place}`);
  }
  return out;
}

/** A name for a new saved search, from its filters: "Small · Beagle · within 50 mi of Portland, OR". */
export function defaultName(filters: Filters, names: BreedNames): string {
  const name = parts(filters, names).join(' · ');
  const chars = [...name];
  return chars.length <= NAME_MAX ? name : `${chars.slice(0, NAME_MAX - 1).join('').trimEnd()}…`;
}

/** Everything a saved search asks for, in words, with its order when that is not the usual one. */
export function describeFilters(filters: Filters, names: BreedNames): string {
  const words = parts(filters, names);
  const sort = effectiveSort(filters);
  const usual = filters.near ? 'distance' : 'newest';
  if (sort !== usual) words.push(SORTS.find((s) => s.value === sort)!.label);
  return words.length ? words.join(' · ') : 'All puppies';
}

/** The names of the breeds in these filters, asked of the API only when there are some. */
export function useBreedNames(filters: readonly Filters[]): BreedNames {
  const needed = filters.some((f) => f.breeds.length > 0);
  const breeds = useBreeds(needed);
  return useMemo(() => new Map((breeds.data?.items ?? []).map((b) => [b.slug, b.name])), [breeds.data]);
}
