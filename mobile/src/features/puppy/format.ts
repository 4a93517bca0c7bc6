import type { components } from '@/api/schema';

export type PuppySummary = components['schemas']['PuppySummary'];
export type PuppyDetail = components['schemas']['PuppyDetail'];
export type Photo = components['schemas']['Photo'];

export function breedLabel(p: Pick<PuppySummary, 'breed' | 'secondary_breed' | 'mixed'>): string {
  if (p.secondary_breed) return `${p.breed.name} × ${p.secondary_breed.name}`;
  return p.mixed ? `${p.breed.name} mix` : p.breed.name;
}

/** Alternative text for a puppy's photo: the server's, or the name and breed. */
export function photoAlt(p: Pick<PuppySummary, 'name' | 'breed' | 'secondary_breed' | 'mixed'>, photo?: Photo | null): string {
  return photo?.alt?.trim() || `${p.name}, ${breedLabel(p)}`;
}

/** The smallest variant at least `width` wide (variants come smallest first). */
export function variantUrl(photo: Photo | null | undefined, width: number): string | null {
  if (!photo || photo.variants.length === 0) return null;
  const fit = photo.variants.find((v) => v.width >= width) ?? photo.variants[photo.variants.length - 1];
  return fit?.url ?? null;
}

