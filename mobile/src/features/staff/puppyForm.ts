import type { components } from '@/api/schema';

import type { PuppyDetail } from '../puppy/format';

export type PuppyInput = components['schemas']['PuppyInput'];
type Sex = components['schemas']['Sex'];
type Status = components['schemas']['Status'];
export type TriState = boolean | null;

export type PuppyFormValues = {
  name: string;
  breed: string;
  sex: Sex | null;
  birth_date: string;
  colour: string;
  fee: string;
  description: string;
  kids: TriState;
  dogs: TriState;
  cats: TriState;
  house_trained: boolean;
  vaccinated: boolean;
  neutered: boolean;
};

export const EMPTY_PUPPY: PuppyFormValues = {
  name: '',
  breed: '',
  sex: null,
  birth_date: '',
  colour: '',
  fee: '',
  description: '',
  kids: null,
  dogs: null,
  cats: null,
  house_trained: false,
  vaccinated: false,
  neutered: false,
};

export type PuppyFormErrors = Partial<Record<keyof PuppyFormValues, string>>;

/** Status changes the API allows from each status. */
export const NEXT_STATUSES: Record<Status, Status[]> = {
  available: ['pending', 'adopted'],
  pending: ['available', 'adopted'],
  adopted: ['available'],
};

export function valuesFrom(p: PuppyDetail): PuppyFormValues {
  return {
    name: p.name,
    breed: p.breed.slug,
    sex: p.sex,
    birth_date: p.birth_date,
    colour: p.colour,
    fee: (p.adoption_fee.amount_cents / 100).toFixed(2),
    description: p.description,
    kids: p.good_with.kids ?? null,
    dogs: p.good_with.dogs ?? null,
    cats: p.good_with.cats ?? null,
    house_trained: p.house_trained,
    vaccinated: p.vaccinated,
    neutered: p.neutered,
  };
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function validatePuppy(v: PuppyFormValues, today: Date = new Date()): PuppyFormErrors {
  const e: PuppyFormErrors = {};
  const name = v.name.trim();
  if (!name) e.name = 'Enter the puppy’s name.';
  else if (name.length > 60) e.name = 'Keep the name under 60 characters.';
  if (!v.breed) e.breed = 'Choose a breed.';
  if (!v.sex) e.sex = 'Choose female or male.';
  if (!isRealDate(v.birth_date)) e.birth_date = 'Enter the birth date as YYYY-MM-DD.';
  else if (v.birth_date > today.toISOString().slice(0, 10)) e.birth_date = 'The birth date can’t be in the future.';
  const colour = v.colour.trim();
  if (!colour) e.colour = 'Enter the colour.';
  else if (colour.length > 40) e.colour = 'Keep the colour under 40 characters.';
  if (!/^\d+(\.\d{1,2})?$/.test(v.fee.trim())) e.fee = 'Enter the fee as a number, e.g. 150 or 150.00.';
  if (v.description.length > 5000) e.description = 'Keep the description under 5,000 characters.';
  return e;
}

export function toInput(v: PuppyFormValues): PuppyInput {
  return {
    name: v.name.trim(),
    breed: v.breed,
    sex: v.sex,
    birth_date: v.birth_date,
    colour: v.colour.trim(),
    adoption_fee_cents: Math.round(Number(v.fee.trim()) * 100),
    description: v.description.trim(),
    good_with: { kids: v.kids, dogs: v.dogs, cats: v.cats },
    house_trained: v.house_trained,
    vaccinated: v.vaccinated,
    neutered: v.neutered,
  };
}

/** Only what changed, for PATCH. */
export function changes(before: PuppyFormValues, after: PuppyFormValues): PuppyInput {
  const a = toInput(before);
  const b = toInput(after);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(b) as (keyof PuppyInput)[]) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out[key] = b[key];
  }
  return out as PuppyInput;
}
