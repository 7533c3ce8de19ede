import { normalizeName } from '../shared/core/dns-name.ts';

/**
 * The key of the row (or status) a user names: the key exactly as typed when the table holds
 * it (a row written in the console as `Resilient-Site.example.com.`, which status reports by
 * that key), else the normalised name. So `chains delete KEY` removes the row status told them to
 * remove, and `chains status KEY` shows that status.
 */
export async function rowKey(table: { get(key: string): Promise<unknown> }, typed: string): Promise<string> {
  const key = typed.trim();
  return key !== normalizeName(key) && (await table.get(key)) !== undefined ? key : normalizeName(key);
}
