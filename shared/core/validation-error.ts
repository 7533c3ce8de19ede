/** One reason a row was rejected: the field path, what is wrong and what is allowed. */
export interface ValidationError {
  path: string;
  message: string;
}

/** The one-line form users see: `tiers[1].healthCheck.port: must be ... (got 70000)`. */
export function formatValidationError(error: ValidationError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}

/** Render a path such as ['tiers', 1, 'healthCheck'] as `tiers[1].healthCheck`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** A short, quoted rendering of a rejected value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}
