import type { components } from '@/api/schema';
import type { SavedSearch } from '@/features/searches/useSavedSearches';

type S = components['schemas'];

export const ORG: S['OrganizationSummary'] = {
  id: '00000000-0000-4000-8000-0000000000aa',
  slug: 'rose-city-rescue',
  name: 'Rose City Rescue',
  kind: 'rescue',
  city: 'Portland',
  region: 'OR',
  country: 'US',
  latitude: 45.5,
  longitude: -122.6,
  website: null,
};

export function photo(n = 1): S['Photo'] {
  return {
    id: `00000000-0000-4000-8000-00000000f0${String(n).padStart(2, '0')}`,
    width: 1280,
    height: 960,
    alt: '',
    variants: [320, 640, 1280].map((w) => ({ width: w, height: (w * 3) / 4, url: `https://photos.test/${n}/${w}.jpg` })),
  };
}

export function puppy(n: number, overrides: Partial<S['PuppySummary']> = {}): S['PuppySummary'] {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name: `Puppy ${n}`,
    breed: { slug: 'beagle', name: 'Beagle' },
    secondary_breed: null,
    mixed: false,
    sex: 'female',
    birth_date: '2025-01-01',
    age_months: 5,
    age_group: 'baby',
    size: 'medium',
    coat: 'short',
    colour: 'tan',
    good_with: { kids: true, dogs: true, cats: null },
    status: 'available',
    adoption_fee: { amount_cents: 15000, currency: 'USD' },
    listed_at: '2025-06-01T00:00:00Z',
    organization: ORG,
    photo: photo(n),
    distance_km: null,
    ...overrides,
  };
}

export function detail(n: number, overrides: Partial<S['PuppyDetail']> = {}): S['PuppyDetail'] {
  return {
    ...puppy(n),
    description: 'A friendly, curious beagle.',
    house_trained: true,
    vaccinated: true,
    neutered: false,
    photos: [photo(n), photo(n + 50)],
    ...overrides,
  };
}

export const page = (items: S['PuppySummary'][], next_cursor: string | null = null) => ({ items, next_cursor });

export const ME: S['Me'] = {
  id: '00000000-0000-4000-8000-0000000000u1',
  email: 'ada@example.org',
  display_name: 'Ada',
  role: 'adopter',
  created_at: '2025-01-01T00:00:00Z',
  organization_id: null,
  email_verified: true,
  conversation_email: true,
  new_match_alerts: 'push',
};

export const STAFF: S['Me'] = { ...ME, id: '00000000-0000-4000-8000-0000000000s1', email: 'staff@example.org', display_name: 'Sam', role: 'staff', organization_id: ORG.id };

export const BREEDS = {
  items: [
    { id: 'b1', slug: 'beagle', name: 'Beagle', group: 'hound', size: 'medium', coat: 'short', temperament: [], description: '', available_puppies: 3 },
    { id: 'b2', slug: 'poodle', name: 'Poodle', group: 'non-sporting', size: 'medium', coat: 'curly', temperament: [], description: '', available_puppies: 1 },
  ],
};

export const config = (flags: Partial<{ assistant: boolean; inquiries: boolean; photo_uploads: boolean; push_notifications: boolean }> = {}) => ({
  environment: 'local',
  flags: { assistant: false, inquiries: false, photo_uploads: false, push_notifications: false, ...flags },
});

/** Another organisation, for an adopter who writes to more than one. */
export const OTHER_SHELTER: S['OrganizationName'] = { id: '00000000-0000-4000-8000-0000000000bb', name: 'Willamette Valley Humane Society' };

/**
 * A conversation about puppy n with Rose City Rescue (or `overrides.organization`),
 * started by Ada on day n of June 2025 at noon UTC, with no replies yet.
 */
export function inquiry(n: number, overrides: Partial<S['Inquiry']> = {}): S['Inquiry'] {
  const at = new Date(Date.UTC(2025, 5, n, 12)).toISOString();
  const organization = overrides.organization ?? { id: ORG.id, name: ORG.name };
  return {
    id: `00000000-0000-4000-8000-1${String(n).padStart(11, '0')}`,
    puppy: { id: puppy(n).id, name: `Puppy ${n}` },
    organization,
    organization_id: organization.id,
    adopter: { display_name: 'Ada', email: 'ada@example.org' },
    message: 'Is she still available?',
    contact_preference: 'app',
    status: 'open',
    created_at: at,
    replies: [],
    last_message: { author_role: 'adopter', excerpt: 'Is she still available?', at },
    unread_count: 0,
    assignee: null,
    version: 1,
    ...overrides,
  };
}

/** The shelter answered the inquiry the next day; the adopter has not read it yet. */
export function answered(n: number, overrides: Partial<S['Inquiry']> = {}): S['Inquiry'] {
  const at = new Date(Date.UTC(2025, 5, n + 1, 12, 30)).toISOString();
  const message = 'Yes, come and meet her!';
  return inquiry(n, {
    status: 'answered',
    replies: [{ id: `00000000-0000-4000-8000-2${String(n).padStart(11, '0')}`, author_role: 'staff', message, created_at: at }],
    last_message: { author_role: 'staff', excerpt: message, at },
    unread_count: 1,
    version: 2,
    ...overrides,
  });
}

export const inquiryPage = (items: S['Inquiry'][], next_cursor: string | null = null) => ({ items, next_cursor });

/** A saved search as the API keeps it (the query re-encoded as the API writes it): Ada saved it on day n of May 2025. */
export function savedSearch(n: number, overrides: Partial<SavedSearch> = {}): SavedSearch {
  return {
    id: `00000000-0000-4000-8000-3${String(n).padStart(11, '0')}`,
    name: `Search ${n}`,
    query: 'breed=beagle&size=small&near=45.5152%2C-122.6784&radius_km=80.467&sort=distance',
    paused: false,
    created_at: new Date(Date.UTC(2025, 4, n, 9)).toISOString(),
    last_opened_at: null,
    ...overrides,
  };
}
