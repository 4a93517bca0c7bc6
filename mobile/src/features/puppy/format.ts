import type { components } from '@/api/schema';

export type PuppySummary = components['schemas']['PuppySummary'];
export type PuppyDetail = components['schemas']['PuppyDetail'];
export type Photo = components['schemas']['Photo'];

export function formatAge(months: number): string {
  if (months < 1) return 'Under a month';
  if (months < 24) return `${months} month${months === 1 ? '' : 's'}`;
  const years = Math.floor(months / 12);
  return `${years} years`;
}

export function formatDistance(km: number | null | undefined): string | null {
  if (km === null || km === undefined) return null;
  if (km < 1) return 'Less than 1 km away';
  return `${Math.round(km)} km away`;
}

export function formatFee(money: { amount_cents: number; currency: string }): string {
  const amount = money.amount_cents / 100;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${money.currency}`;
  }
}

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

export const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
