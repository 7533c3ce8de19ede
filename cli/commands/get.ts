import type { Command } from 'commander';
import { isPlainObject } from '../../shared/core/chain-schema.ts';
import { StoredNumber } from '../../shared/core/stored-number.ts';
import { describeValue, formatPath } from '../../shared/core/validation-error.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { rowKey } from '../row-key.ts';

/**
 * `chains get NAME [--dynamodb-json]`: the row as stored, ready to edit and apply again. Any row
 * prints: DynamoDB JSON is the item exactly as DynamoDB holds it (binary in base64, as the
 * console shows it); plain JSON has no sets, binary or 38-digit numbers, so those fields are
 * written as lists, base64 and strings, and named on stderr.
 */
export function registerGet(program: Command, context: CliContext): void {
  program
    .command('get')
    .description('print a chain row as JSON (plain, or DynamoDB JSON as the console shows it)')
    .argument('<name>', 'the chain name')
    .option('--dynamodb-json', 'print DynamoDB JSON ({"name": {"S": "..."}})')
    .action(async (raw: string, options: { dynamodbJson?: boolean }) => {
      const store = await context.store();
      const name = await rowKey(store, raw);
      const row = options.dynamodbJson ? await store.getItem(name) : await store.get(name);
      if (row === undefined) {
        context.io.err(`no chain ${name} in ${(await context.settings()).chainsTable}`);
        exitWith(1);
      }
      if (options.dynamodbJson) {
        context.io.out(JSON.stringify(row, (_key, value: unknown) => base64Of(value) ?? value, 2));
        return;
      }
      const inexact: string[] = [];
      context.io.out(JSON.stringify(asPlainJson(row, [], inexact), null, 2));
      if (inexact.length > 0) {
        context.io.err(
          `note: plain JSON cannot show ${inexact.join(', ')} as stored (numbers are written as strings, sets as lists, binary as base64); chains get --dynamodb-json '${name}' shows the row exactly`,
        );
      }
    });
}

function base64Of(value: unknown): string | undefined {
  return ArrayBuffer.isView(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    : undefined;
}

/** A row in the values plain JSON has, naming in `inexact` each field written otherwise. */
function asPlainJson(value: unknown, path: (string | number)[], inexact: string[]): unknown {
  const odd = () => inexact.push(`${formatPath(path) || 'the row'} (${describeValue(value)})`);
  if (value instanceof StoredNumber) {
    odd();
    return value.text;
  }
  const binary = base64Of(value);
  if (binary !== undefined) {
    odd();
    return binary;
  }
  if (value instanceof Set) {
    odd();
    return [...value].map((item) => asPlainJson(item, path, []));
  }
  if (Array.isArray(value)) return value.map((item, index) => asPlainJson(item, [...path, index], inexact));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: asPlainJson(inner, [...path, key], inexact),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
