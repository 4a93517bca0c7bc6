import { NAME_MAX, nameLength } from './describe';

/** What is wrong with a saved search's name, checked as the API checks it; null when nothing. */
export function validateName(name: string): string | null {
  const length = nameLength(name);
  if (length === 0) return 'Give this search a name.';
  if (length > NAME_MAX) return `Use at most ${NAME_MAX} characters (this name has ${length}).`;
  return null;
}
