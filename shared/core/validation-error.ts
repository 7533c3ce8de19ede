import { StoredNumber } from './stored-number.ts';

/** One reason a row was rejected: the field path, what is wrong and what is allowed. */
export interface ValidationError {
  path: string;
  message: string;
}

/** The one-line form users see: `tiers[1].healthCheck.port: must be ... (got 70000)`. */
export function formatValidationError(error: ValidationError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}

/**
 * Render a path such as ['tiers', 1, 'healthCheck'] as `tiers[1].healthCheck`. A field name of
 * other characters is quoted (`tiers[0]["a b\n"]`), so a name with spaces, dots or line breaks
 * still reads as one field.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = shortKey(String(part));
      if (!/^[\w$-]+$/.test(key)) out += `[${JSON.stringify(key)}]`;
      else out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}

const MAX_KEY = 64;

/** A field name as an error shows it: a name of 64 KB would push what is wrong out of sight. */
function shortKey(key: string): string {
  return key.length <= MAX_KEY ? key : `${key.slice(0, 40)}... (a name of ${key.length} characters)`;
}

/** A short, quoted rendering of a rejected value for error messages, for any value a row can hold. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value instanceof StoredNumber) return cut(value.text);
  if (value instanceof Set) return `${setKind(value)} of ${value.size}`;
  if (ArrayBuffer.isView(value)) return `binary data of ${value.byteLength} bytes`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(cut(value));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}

function cut(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** DynamoDB's three set types, as a person who wrote one in the console calls it. */
function setKind(set: Set<unknown>): string {
  const [first] = set;
  if (typeof first === 'string') return 'a string set';
  if (typeof first === 'number' || first instanceof StoredNumber) return 'a number set';
  if (ArrayBuffer.isView(first)) return 'a binary set';
  return 'a set';
}
