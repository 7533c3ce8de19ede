// A record's SetIdentifier is how the system proves, from Route 53 alone, that it made the
// record: it carries the deployment's owner id, the chain level and the failover role. With
// the record's name, the level also names the chain (level k of chain C lives at
// levelName(C, k)), so a lost status write never turns our own records into conflicts.

const PREFIX = 'failover-chains';

/** Owner ids are short so set identifiers, tags and alarm names stay within Route 53 limits. */
export const OWNER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** Default owner id for a deployment that does not set one. */
export const DEFAULT_OWNER_ID = 'default';

/** The parts encoded in one of our set identifiers. */
export interface SetIdentifierParts {
  owner: string;
  level: number;
  /** PINNED: the single weighted record of a pinned chain. */
  role: 'PRIMARY' | 'SECONDARY' | 'PINNED';
}

/** The deterministic SetIdentifier of the record at one level and role of a chain. */
export function setIdentifierFor(parts: SetIdentifierParts): string {
  return `${PREFIX}/${parts.owner}/${parts.level}/${parts.role.toLowerCase()}`;
}

/** Parse a SetIdentifier made by any failover-chains deployment; undefined for anyone else's. */
export function parseSetIdentifier(setIdentifier: string | undefined): SetIdentifierParts | undefined {
  const match = /^failover-chains\/([a-z0-9-]{1,32})\/(\d)\/(primary|secondary|pinned)$/.exec(
    setIdentifier ?? '',
  );
  if (!match) return undefined;
  return {
    owner: match[1]!,
    level: Number(match[2]),
    role: match[3]!.toUpperCase() as SetIdentifierParts['role'],
  };
}
