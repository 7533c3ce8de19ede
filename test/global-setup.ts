import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/** One DynamoDB Local for the whole run; each test file makes its own tables in it. */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const local = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', local.endpoint);
  return async () => {
    await local.stop();
  };
}
