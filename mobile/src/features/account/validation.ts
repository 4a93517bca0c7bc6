export type SignUpInput = { display_name: string; email: string; password: string };
export type Errors<T> = Partial<Record<keyof T, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSignUp(input: SignUpInput): Errors<SignUpInput> {
  const errors: Errors<SignUpInput> = {};
  const name = input.display_name.trim();
  if (!name) errors.display_name = 'Enter your name.';
  else if (name.length > 80) errors.display_name = 'Keep your name under 80 characters.';
  const email = validateEmail(input.email);
  if (email) errors.email = email;
  const password = passwordProblem(input.password, input.email);
  if (password) errors.password = password;
  return errors;
}

/** What is wrong with an email address as typed, if anything. */
export function validateEmail(email: string): string | undefined {
  return EMAIL.test(email.trim()) ? undefined : 'Enter a valid email address.';
}

/** The API's password rule: 10 to 128 characters, not the email address (when it is known here). */
function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < 10) return 'Use at least 10 characters.';
  if (password.length > 128) return 'Use at most 128 characters.';
  if (email !== undefined && password.trim().toLowerCase() === email.trim().toLowerCase()) return 'Don’t use your email address as the password.';
  return undefined;
}

export type NewPasswordInput = { password: string; confirm: string };

/** A new password from a reset link, typed twice. */
export function validateNewPassword(input: NewPasswordInput): Errors<NewPasswordInput> {
  const errors: Errors<NewPasswordInput> = {};
  const password = passwordProblem(input.password);
  if (password) errors.password = password;
  else if (input.confirm !== input.password) errors.confirm = 'The two passwords are not the same.';
  return errors;
}

export function validateSignIn(input: { email: string; password: string }): Errors<{ email: string; password: string }> {
  const errors: Errors<{ email: string; password: string }> = {};
  const email = validateEmail(input.email);
  if (email) errors.email = email;
  if (!input.password) errors.password = 'Enter your password.';
  return errors;
}
