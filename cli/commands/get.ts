import type { Command } from 'commander';
import { toDynamoDbJson } from '../../shared/aws/dynamodb-json.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { rowKey } from '../row-key.ts';

/** `chains get NAME [--dynamodb-json]`: the row as stored, ready to edit and apply again. */
export function registerGet(program: Command, context: CliContext): void {
  program
    .command('get')
    .description('print a chain row as JSON (plain, or DynamoDB JSON as the console shows it)')
    .argument('<name>', 'the chain name')
    .option('--dynamodb-json', 'print DynamoDB JSON ({"name": {"S": "..."}})')
    .action(async (raw: string, options: { dynamodbJson?: boolean }) => {
      const store = await context.store();
      const name = await rowKey(store, raw);
      const row = (await store.get(name)) as Record<string, unknown> | undefined;
      if (row === undefined) {
        context.io.err(`no chain ${name} in ${(await context.settings()).chainsTable}`);
        exitWith(1);
      }
      context.io.out(JSON.stringify(options.dynamodbJson ? toDynamoDbJson(row) : row, null, 2));
    });
}
