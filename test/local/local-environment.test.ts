import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { localEnvironmentVariables } from '../../local/local-environment.ts';
import type { LocalSystem } from '../../local/local-system.ts';
import { createLocalWorld, type LocalWorld } from '../../local/local-world.ts';
import { seedRow } from '../fixtures/chains.ts';

// `npx chains` run with the environment `npm start -- --interactive` prints: DynamoDB commands
// work against DynamoDB Local; commands that need Route 53 or CloudWatch are refused in one line.
let world: LocalWorld;
const saved = { ...process.env };

beforeAll(async () => {
  world = await createLocalWorld({ endpoint: inject('dynamodbEndpoint') });
  await world.chains.put(seedRow());
  const local = { dynamodbEndpoint: inject('dynamodbEndpoint'), world } as unknown as LocalSystem;
  Object.assign(process.env, localEnvironmentVariables(local));
});
afterAll(() => {
  process.env = saved;
  world.destroy();
});

const chains = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
};

describe('the printed local environment', () => {
  it('points every other AWS service at a closed loopback port, so nothing can reach AWS', () => {
    expect(process.env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:9');
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(inject('dynamodbEndpoint'));
  });

  it('runs DynamoDB-only commands against DynamoDB Local', async () => {
    expect(await chains('status')).toMatchObject({ code: 0, err: '' });
    expect(await chains('history', 'resilient-site.example.com')).toMatchObject({ code: 0 });
    const drained = await chains('drain', 'resilient-site.example.com', 'secondary');
    expect(drained).toMatchObject({
      code: 0,
      out: expect.stringContaining('written to resilient-site.example.com') as string,
    });
    expect(await world.chains.get('resilient-site.example.com')).toMatchObject({ drain: ['secondary'] });
  });

  it('applies a row that health-checks the local servers on loopback, as the prompt does', async () => {
    const seed = seedRow();
    const row = {
      ...seed,
      name: 'local.example.com',
      tiers: [
        { ...seed.tiers[0], healthCheck: { type: 'HTTP', ip: '127.0.0.1', port: 8888 } },
        ...seed.tiers.slice(1),
      ],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'fc-local-')), 'local.json');
    writeFileSync(file, JSON.stringify(row));
    expect(await chains('apply', file)).toMatchObject({ code: 0 });
    expect(await world.chains.get('local.example.com')).toMatchObject({ name: 'local.example.com' });
  });

  it.each([
    ['reconcile', 'resilient-site.example.com'],
    ['reconcile', '--all'],
  ])('refuses %s %s in one line, before touching anything', async (...argv) => {
    expect(await chains(...argv)).toEqual({
      code: 1,
      out: '',
      err: 'error: this command needs Route 53 and CloudWatch, which local mode keeps inside `npm start`: type it at the local> prompt instead',
    });
    expect(world.dynamoWrites).toEqual([]);
  });
});
