import { readFile } from 'node:fs/promises';
import { toPlainRow } from '../shared/aws/dynamodb-json.ts';

/** Read a chain row from a JSON file in plain or DynamoDB JSON form. */
export async function readRowFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return toPlainRow(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
