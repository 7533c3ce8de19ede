import type { RowStore } from './cli-context.ts';
import { normalizeName } from '../shared/core/dns-name.ts';

/**
 * The key of the row a user names: the key exactly as typed when such a row exists (a row
 * written in the console as `Resilient-Site.example.com.`, which status reports by that key),
 * else the normalised name. So `chains delete KEY` removes the row status told them to remove.
 */
export async function rowKey(store: Pick<RowStore, 'get'>, typed: string): Promise<string> {
  const key = typed.trim();
  return key !== normalizeName(key) && (await store.get(key)) !== undefined ? key : normalizeName(key);
}
