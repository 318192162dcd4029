import { z } from 'zod';

/** Reusable validators for environment values (all env values arrive as strings). */
export const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const positiveInt = z.coerce
  .number({ message: 'expected a number' })
  .int('expected an integer')
  .positive('must be > 0');
export const nonNegativeInt = z.coerce
  .number({ message: 'expected a number' })
  .int('expected an integer')
  .min(0, 'must be >= 0');

export const urlWithScheme = (...schemes: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return schemes.includes(new URL(v).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `expected a URL with scheme ${schemes.join(' or ')}` },
  );
