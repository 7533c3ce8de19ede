/** Lower-case a DNS name and drop one trailing dot, so names compare the way DNS compares them. */
export function normalizeName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}

/** The absolute form Route 53 returns and expects in record sets: lower case with a trailing dot. */
export function toFqdn(name: string): string {
  return `${normalizeName(name)}.`;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** Why a normalised name is not a usable DNS host name, or undefined when it is. */
export function hostnameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `must be at most 253 characters (got ${name.length})`;
  const labels = name.split('.');
  if (labels.length < 2) return 'must be a fully qualified name with at least two labels';
  for (const label of labels) {
    if (label.length > 63) return `label "${label.slice(0, 20)}…" must be at most 63 characters`;
    if (!LABEL.test(label)) {
      return `label "${label}" must use letters, digits, hyphens or underscores and not start or end with a hyphen`;
    }
  }
  return undefined;
}

/**
 * The name served at one level of a chain: level 0 is the chain's own name, level 1
 * `backup.<name>`, level k > 1 `backup<k>.<name>` (the nesting the README documents).
 */
export function levelName(chainName: string, level: number): string {
  if (level === 0) return chainName;
  return `${level === 1 ? 'backup' : `backup${level}`}.${chainName}`;
}

/** True when `name` is `zone` itself or a name below it. */
export function isWithinZone(name: string, zone: string): boolean {
  const n = normalizeName(name);
  const z = normalizeName(zone);
  return n === z || n.endsWith(`.${z}`);
}
