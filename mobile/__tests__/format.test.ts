import type { components } from '@/api/schema';
import {
  badgeCount,
  capitalise,
  currentLocale,
  defaultRadiusKm,
  distanceUnit,
  formatAge,
  formatCount,
  formatDate,
  formatDateTime,
  formatDistance,
  formatFee,
  formatLength,
  formatMonth,
  formatUnread,
  formatWhen,
  label,
  radiusChoices,
  regionOf,
  setLocale,
} from '@/format';

type ContactPreference = components['schemas']['ContactPreference'];
type ThreadStatus = components['schemas']['ThreadStatus'];

describe('format: locale and units', () => {
  it('finds the region of a locale tag', () => {
    expect(regionOf('en-GB')).toBe('GB');
    expect(regionOf('en_US')).toBe('US');
    expect(regionOf('zh-Hant-TW')).toBe('TW');
    expect(regionOf('es-419')).toBe('419');
    expect(regionOf('fr')).toBeNull();
    expect(regionOf('de-u-co-phonebk')).toBeNull();
  });

  it('uses miles in the US, the UK, Liberia and Myanmar, kilometres elsewhere', () => {
    for (const locale of ['en-US', 'es-US', 'en-GB', 'cy-GB', 'en-LR', 'my-MM', 'en']) expect(distanceUnit(locale)).toBe('mi');
    for (const locale of ['en-IE', 'en-CA', 'en-AU', 'fr-FR', 'de-DE', 'ja-JP', 'fr', 'es-419']) expect(distanceUnit(locale)).toBe('km');
  });

  it('writes distances in the unit of the locale', () => {
    expect(formatDistance(12.4, 'en-US')).toBe('8 mi away');
    expect(formatDistance(12.4, 'en-GB')).toBe('8 mi away');
    expect(formatDistance(12.4, 'de-DE')).toBe('12 km away');
    expect(formatDistance(0.4, 'fr-FR')).toBe('Less than 1 km away');
    expect(formatDistance(1.2, 'en-US')).toBe('Less than 1 mi away');
    expect(formatDistance(1609.344, 'en-US')).toBe('1,000 mi away');
    expect(formatDistance(null, 'en-US')).toBeNull();
    expect(formatDistance(undefined)).toBeNull();
    expect(formatLength(100, 'en-CA')).toBe('100 km');
  });

  it('offers radii in round numbers of the locale’s unit, sent in km', () => {
    expect(radiusChoices('de-DE').map((r) => r.label)).toEqual(['10 km', '25 km', '50 km', '100 km', '250 km', '500 km']);
    const miles = radiusChoices('en-US');
    expect(miles.map((r) => r.label)).toEqual(['5 mi', '10 mi', '25 mi', '50 mi', '100 mi', '250 mi', '500 mi']);
    expect(miles.find((r) => r.label === '100 mi')!.km).toBe(160.934);
    // Within the API's limit of 1,000 km.
    expect(Math.max(...miles.map((r) => r.km))).toBeLessThanOrEqual(1000);
    expect(defaultRadiusKm('fr-FR')).toBe(50);
    expect(defaultRadiusKm('en-GB')).toBe(80.467);
  });

  it('follows the locale set for the app, and the device’s without one', () => {
    setLocale('de-DE');
    expect(currentLocale()).toBe('de-DE');
    expect(formatDistance(12.4)).toBe('12 km away');
    setLocale(null);
    expect(currentLocale()).toBeTruthy();
    setLocale('en-US');
  });
});

describe('format: fees', () => {
  it('uses the organisation’s currency, written for the locale', () => {
    expect(formatFee({ amount_cents: 15000, currency: 'USD' }, 'en-US')).toBe('$150');
    expect(formatFee({ amount_cents: 9950, currency: 'USD' }, 'en-US')).toBe('$99.50');
    expect(formatFee({ amount_cents: 15000, currency: 'GBP' }, 'en-GB')).toBe('£150');
    expect(formatFee({ amount_cents: 15000, currency: 'USD' }, 'en-GB')).toBe('US$150');
    expect(formatFee({ amount_cents: 12550, currency: 'EUR' }, 'de-DE')).toBe('125,50\u00a0€');
    expect(formatFee({ amount_cents: 20000, currency: 'CAD' }, 'en-CA')).toBe('$200');
  });

  it('reads the amount in the currency’s minor unit', () => {
    // The yen has no minor unit: 5000 is ¥5,000.
    expect(formatFee({ amount_cents: 5000, currency: 'JPY' }, 'ja-JP')).toBe('￥5,000');
    expect(formatFee({ amount_cents: 12345, currency: 'BHD' }, 'en-US')).toBe('BHD\u00a012.345');
  });

  it('says Free for no fee, and never throws on an unknown currency', () => {
    expect(formatFee({ amount_cents: 0, currency: 'USD' }, 'en-US')).toBe('Free');
    expect(formatFee({ amount_cents: 15000, currency: 'not a currency' }, 'en-US')).toBe('150.00 not a currency');
  });
});

describe('format: dates, counts, ages', () => {
  it('writes dates and months for the locale', () => {
    expect(formatDate('2025-06-01T10:00:00Z', 'en-US')).toBe('Jun 1, 2025');
    expect(formatDate('2025-06-01T10:00:00Z', 'en-GB')).toBe('1 Jun 2025');
    expect(formatMonth('2025-01-01T00:00:00Z', 'en-US')).toBe('January 2025');
    expect(formatMonth('2025-01-01T00:00:00Z', 'fr-FR')).toBe('janvier 2025');
    expect(formatDate('not a date', 'en-US')).toBe('not a date');
  });

  it('writes when a message came: the moment in a thread, the time today or the day in a list', () => {
    expect(formatDateTime('2025-06-01T15:05:00Z', 'en-US')).toBe('Jun 1, 2025, 3:05 PM');
    expect(formatDateTime('2025-06-01T15:05:00Z', 'en-GB')).toBe('1 Jun 2025, 15:05');
    const now = new Date('2025-06-01T18:00:00Z');
    expect(formatWhen('2025-06-01T15:05:00Z', 'en-US', now)).toBe('3:05 PM');
    expect(formatWhen('2025-05-31T15:05:00Z', 'en-US', now)).toBe('May 31, 2025');
    expect(formatWhen('not a date', 'en-US', now)).toBe('not a date');
  });

  it('writes unread counts, and a badge with room for two digits', () => {
    expect(formatUnread(3, 'en-US')).toBe('3 unread');
    expect(formatUnread(1200, 'en-US')).toBe('1,200 unread');
    expect(formatUnread(0)).toBeNull();
    expect(formatUnread(undefined)).toBeNull();
    expect(badgeCount(7, 'en-US')).toBe('7');
    expect(badgeCount(99, 'en-US')).toBe('99');
    expect(badgeCount(100, 'en-US')).toBe('99+');
    expect(badgeCount(0)).toBeNull();
  });

  it('writes counts and ages', () => {
    expect(formatCount(1234, 'en-US')).toBe('1,234');
    expect(formatAge(0)).toBe('Under a month');
    expect(formatAge(1)).toBe('1 month');
    expect(formatAge(5)).toBe('5 months');
    expect(formatAge(30)).toBe('2 years');
  });
});

describe('format: enum values', () => {
  it('are capitalised the same way everywhere', () => {
    expect(label.size('giant')).toBe('Giant');
    expect(label.sex('male')).toBe('Male');
    expect(label.coat('wire')).toBe('Wire');
    expect(label.status('pending')).toBe('Pending');
    expect(label.status('adopted')).toBe('Adopted');
    expect(label.age('senior')).toBe('Senior');
    expect(label.goodWith('kids')).toBe('Kids');
    expect(label.organizationKind('rescue')).toBe('Rescue');
    expect(label.role('staff')).toBe('Shelter staff');
    expect(label.contact('app')).toBe('In the app');
    expect(label.inquiryStatus('answered')).toBe('Answered');
    expect(label.inquiryStatus('closed')).toBe('Closed');
    // A value added to the API after this build still reads well.
    expect(label.inquiryStatus('escalated' as ThreadStatus)).toBe('Escalated');
    expect(label.contact('fax' as ContactPreference)).toBe('Fax');
    expect(capitalise('tan and white')).toBe('Tan and white');
    expect(capitalise('')).toBe('');
  });
});
