/**
 * How values are shown: distances in the unit of the person's region, fees in the
 * organisation's currency, dates and enum values written the same way everywhere.
 * Every function takes an optional locale (a BCP 47 tag); without one it uses the
 * device's, as the JavaScript engine reports it.
 */
import type { components } from '@/api/schema';

type S = components['schemas'];

let override: string | null = null;

/** The locale values are formatted for. */
export function currentLocale(): string {
  if (override) return override;
  try {
    return new Intl.NumberFormat().resolvedOptions().locale || 'en-US';
  } catch {
    return 'en-US';
  }
}

/** Tests and previews: format for this locale (null: the device's again). */
export function setLocale(locale: string | null): void {
  override = locale;
}

/** The region of a locale tag ("en-GB" -> "GB", "es-419" -> "419"), or null. */
export function regionOf(locale: string): string | null {
  const parts = locale.replace(/_/g, '-').split('-').slice(1);
  for (const part of parts) {
    if (/^[A-Za-z]{2}$/.test(part) || /^\d{3}$/.test(part)) return part.toUpperCase();
    if (part.length === 1) break; // an extension (-u-…, -x-…) begins
  }
  return null;
}

/** Regions whose road distances are in miles. */
const MILES_REGIONS = new Set(['US', 'GB', 'LR', 'MM']);

export type DistanceUnit = 'km' | 'mi';
export const KM_PER_MILE = 1.609344;

/** Miles in the US, the UK, Liberia and Myanmar; kilometres elsewhere. */
export function distanceUnit(locale: string = currentLocale()): DistanceUnit {
  const region = regionOf(locale);
  // A bare "en" is read as American English, as the engines themselves do.
  if (!region) return /^en$/i.test(locale) ? 'mi' : 'km';
  return MILES_REGIONS.has(region) ? 'mi' : 'km';
}

function number(value: number, locale: string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value);
}

/** A length in the locale's unit: "12 km", "8 mi". */
export function formatLength(km: number, locale: string = currentLocale()): string {
  const unit = distanceUnit(locale);
  const value = unit === 'mi' ? km / KM_PER_MILE : km;
  return `${number(Math.round(value), locale)} ${unit}`;
}

/** How far a puppy is: "Less than 1 mi away", "8 mi away"; null when unknown. */
export function formatDistance(km: number | null | undefined, locale: string = currentLocale()): string | null {
  if (km === null || km === undefined || !Number.isFinite(km)) return null;
  const unit = distanceUnit(locale);
  const value = unit === 'mi' ? km / KM_PER_MILE : km;
  if (value < 1) return `Less than 1 ${unit} away`;
  return `${number(Math.round(value), locale)} ${unit} away`;
}

/** Radius choices of the browse filter, round numbers in the locale's unit. */
export function radiusChoices(locale: string = currentLocale()): { km: number; label: string }[] {
  const unit = distanceUnit(locale);
  const values = unit === 'mi' ? [5, 10, 25, 50, 100, 250, 500] : [10, 25, 50, 100, 250, 500];
  return values.map((v) => ({ km: unit === 'mi' ? Math.round(v * KM_PER_MILE * 1000) / 1000 : v, label: `${number(v, locale)} ${unit}` }));
}

/** The radius used when the person has not chosen one: 50 in the locale's unit. */
export function defaultRadiusKm(locale: string = currentLocale()): number {
  return radiusChoices(locale).find((c) => c.label.startsWith('50 '))!.km;
}

/** Digits after the decimal point of a currency's minor unit (USD 2, JPY 0, BHD 3). */
function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An adoption fee in its own currency, written for the locale: "$150", "$99.50",
 * "150 €", "Free" for nothing. The amount is in the currency's minor unit.
 */
export function formatFee(money: { amount_cents: number; currency: string }, locale: string = currentLocale()): string {
  if (money.amount_cents === 0) return 'Free';
  try {
    const digits = minorDigits(money.currency);
    const amount = money.amount_cents / 10 ** digits;
    const whole = Number.isInteger(amount);
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: money.currency,
      minimumFractionDigits: whole ? 0 : digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${(money.amount_cents / 100).toFixed(2)} ${money.currency}`;
  }
}

/** A day: "5 Dec 2026" / "Dec 5, 2026". */
export function formatDate(iso: string, locale: string = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

/** A moment: "Jun 1, 2025, 10:05 AM" (who wrote a message, and when). */
export function formatDateTime(iso: string, locale: string = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
}

/** When something happened, as a list shows it: the time today ("10:05 AM"), the day before that. */
export function formatWhen(iso: string, locale: string = currentLocale(), now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (date.toDateString() !== now.toDateString()) return formatDate(iso, locale);
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(date);
}

/** How many messages wait to be read: "3 unread"; null for none. */
export function formatUnread(n: number | null | undefined, locale: string = currentLocale()): string | null {
  return n && n > 0 ? `${number(n, locale)} unread` : null;
}

/** A count on a badge, which has room for two digits: "7", "99+"; null for none. */
export function badgeCount(n: number | null | undefined, locale: string = currentLocale()): string | null {
  if (!n || n <= 0) return null;
  return n > 99 ? `${number(99, locale)}+` : number(n, locale);
}

/** A month: "January 2025". */
export function formatMonth(iso: string, locale: string = currentLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** A count for people: "1,234". */
export function formatCount(n: number, locale: string = currentLocale()): string {
  return number(n, locale);
}

/** A puppy's age: "Under a month", "5 months", "2 years". */
export function formatAge(months: number): string {
  if (months < 1) return 'Under a month';
  if (months < 24) return `${months} month${months === 1 ? '' : 's'}`;
  return `${Math.floor(months / 12)} years`;
}

/** The first letter upper case, the rest as it is: "tan and white" -> "Tan and white". */
export const capitalise = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

const SIZE: Record<S['Size'], string> = { small: 'Small', medium: 'Medium', large: 'Large', giant: 'Giant' };
const SEX: Record<S['Sex'], string> = { female: 'Female', male: 'Male' };
const COAT: Record<S['Coat'], string> = { hairless: 'Hairless', short: 'Short', medium: 'Medium', long: 'Long', wire: 'Wire', curly: 'Curly' };
const STATUS: Record<S['Status'], string> = { available: 'Available', pending: 'Pending', adopted: 'Adopted' };
const AGE: Record<S['AgeGroup'], string> = { baby: 'Baby', young: 'Young', adult: 'Adult', senior: 'Senior' };
const GOOD_WITH: Record<S['GoodWith'], string> = { kids: 'Kids', dogs: 'Dogs', cats: 'Cats' };
const ORGANIZATION_KIND: Record<S['OrganizationKind'], string> = { shelter: 'Shelter', rescue: 'Rescue', breeder: 'Breeder' };
const ROLE: Record<S['Role'], string> = { adopter: 'Adopter', staff: 'Shelter staff', admin: 'Administrator' };
const CONTACT: Record<S['ContactPreference'], string> = { email: 'Email', phone: 'Phone', app: 'In the app' };
const INQUIRY_STATUS: Record<S['ThreadStatus'], string> = { open: 'Open', answered: 'Answered', closed: 'Closed' };

/** Enum values as shown: always these words, whatever the screen. */
export const label = {
  size: (v: S['Size']) => SIZE[v] ?? capitalise(v),
  sex: (v: S['Sex']) => SEX[v] ?? capitalise(v),
  coat: (v: S['Coat']) => COAT[v] ?? capitalise(v),
  status: (v: S['Status']) => STATUS[v] ?? capitalise(v),
  age: (v: S['AgeGroup']) => AGE[v] ?? capitalise(v),
  goodWith: (v: S['GoodWith']) => GOOD_WITH[v] ?? capitalise(v),
  organizationKind: (v: S['OrganizationKind']) => ORGANIZATION_KIND[v] ?? capitalise(v),
  role: (v: S['Role']) => ROLE[v] ?? capitalise(v),
  contact: (v: S['ContactPreference']) => CONTACT[v] ?? capitalise(v),
  inquiryStatus: (v: S['ThreadStatus']) => INQUIRY_STATUS[v] ?? capitalise(v),
};
