import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** CloudFormation has no stack of that name in this account and region. */
export class StackNotFound extends Error {
  override name = 'StackNotFound';
}

/** A deployed stack's outputs by key, read with DescribeStacks (so the CLI needs no copy of them). */
export async function readStackOutputs(
  stackName: string,
  client: Pick<CloudFormationClient, 'send'> = new CloudFormationClient({}),
): Promise<Record<string, string>> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = Stacks?.[0]?.Outputs ?? [];
    return Object.fromEntries(
      outputs.flatMap((output) =>
        output.OutputKey && output.OutputValue !== undefined ? [[output.OutputKey, output.OutputValue]] : [],
      ),
    );
  } catch (error) {
    // DescribeStacks reports a missing stack as a ValidationError "Stack with id NAME does not exist".
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) {
      throw new StackNotFound(`no stack ${stackName}`);
    }
    throw error;
  }
}
