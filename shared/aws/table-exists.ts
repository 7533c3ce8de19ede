import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { hasName } from './aws-error.ts';

/** Which of these tables DescribeTable does not find, so an error can name the missing one. */
export async function missingTables(
  names: readonly string[],
  client: Pick<DynamoDBClient, 'send'> = new DynamoDBClient({}),
): Promise<string[]> {
  const missing: string[] = [];
  for (const name of new Set(names)) {
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
    } catch (error) {
      if (hasName(error, 'ResourceNotFoundException')) missing.push(name);
    }
  }
  return missing;
}
