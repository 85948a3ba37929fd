// Passwords are hashed with scrypt, a memory-hard function (32 MiB per hash here).
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** The lengths a new staff password may have: for accounts admins create and for a password changed by its owner. */
export const PASSWORD_LIMITS = { min: 10, max: 200 } as const;

/** Why a new password is refused; each form words it under its own key, with these params. */
export interface PasswordProblem {
  reason: 'required' | 'tooShort' | 'tooLong';
  params?: { min: number } | { max: number };
}

/** The length checks of a new password: null when it fits PASSWORD_LIMITS. */
export function passwordProblem(password: string): PasswordProblem | null {
  if (!password) return { reason: 'required' };
  if (password.length < PASSWORD_LIMITS.min) return { reason: 'tooShort', params: { min: PASSWORD_LIMITS.min } };
  if (password.length > PASSWORD_LIMITS.max) return { reason: 'tooLong', params: { max: PASSWORD_LIMITS.max } };
  return null;
}

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** Burns the same time as a real check so a login does not reveal which emails exist. */
export const DUMMY_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
