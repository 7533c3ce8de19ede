import type { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { readStackOutputs, StackNotFound } from '../../shared/aws/stack-outputs.ts';

describe('readStackOutputs', () => {
  it('returns the outputs of the stack DescribeStacks names, by key', async () => {
    const calls: unknown[] = [];
    const client = {
      send: (command: unknown) => {
        calls.push((command as DescribeStacksCommand).input);
        return Promise.resolve({
          Stacks: [
            {
              StackName: 'FailoverChains',
              Outputs: [
                { OutputKey: 'OwnerId', OutputValue: 'blue' },
                { OutputKey: 'HostedZoneIds', OutputValue: 'Z1,Z2' },
              ],
            },
          ],
        });
      },
    };
    expect(await readStackOutputs('FailoverChains', client as never)).toEqual({
      OwnerId: 'blue',
      HostedZoneIds: 'Z1,Z2',
    });
    expect(calls).toEqual([{ StackName: 'FailoverChains' }]);
  });

  it('turns the ValidationError for a missing stack into StackNotFound', async () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
    // (a stack that does not exist is reported as ValidationError "Stack with id NAME does not exist")
    const error = Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' });
    const client = { send: () => Promise.reject(error) };
    await expect(readStackOutputs('Nope', client as never)).rejects.toBeInstanceOf(StackNotFound);
  });
});
