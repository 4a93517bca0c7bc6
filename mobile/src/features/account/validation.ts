export type SignUpInput = { display_name: string; email: string; password: string };
export type Errors<T> = Partial<Record<keyof T, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSignUp(input: SignUpInput): Errors<SignUpInput> {
  const errors: Errors<SignUpInput> = {};
  const name = input.display_name.trim();
  if (!name) errors.display_name = 'Enter your name.';
  else if (name.length > 80) errors.display_name = 'Keep your name under 80 characters.';
  if (!EMAIL.test(input.email.trim())) errors.email = 'Enter a valid email address.';
  if (input.password.length < 10) errors.password = 'Use at least 10 characters.';
  else if (input.password.length > 128) errors.password = 'Use at most 128 characters.';
  else if (input.password.trim().toLowerCase() === input.email.trim().toLowerCase()) errors.password = 'Don’t use your email address as the password.';
  return errors;
}

export function validateSignIn(input: { email: string; password: string }): Errors<{ email: string; password: string }> {
  const errors: Errors<{ email: string; password: string }> = {};
  if (!EMAIL.test(input.email.trim())) errors.email = 'Enter a valid email address.';
  if (!input.password) errors.password = 'Enter your password.';
  return errors;
}
