import { ChangeResourceRecordSetsCommand, GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, it } from 'vitest';
import { faultError } from '../../local/faults.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { route53Client } from '../../local/sdk-over-stand-in.ts';
import { Route53Adapter } from '../../shared/aws/route53-adapter.ts';
import { DEFAULT_MAX_ATTEMPTS, maxAttemptsFrom } from '../../shared/aws/retry-strategy.ts';

const ZONE = 'ZRETRY';
const sent = (r53: Route53StandIn, command: string) => r53.calls.filter((c) => c === command).length;

function setup(maxAttempts?: number) {
  const r53 = new Route53StandIn();
  r53.addZone(ZONE, 'example.com');
  const client = route53Client(r53, { ...(maxAttempts ? { maxAttempts } : {}), fixedDelayMs: 0 });
  return { r53, client, adapter: new Route53Adapter(client, { createHealthCheckIntervalMs: 0 }) };
}

const savedMaxAttempts = process.env.AWS_MAX_ATTEMPTS;
afterEach(() => {
  if (savedMaxAttempts === undefined) delete process.env.AWS_MAX_ATTEMPTS;
  else process.env.AWS_MAX_ATTEMPTS = savedMaxAttempts;
});

describe('one retry layer: the SDK retry strategy', () => {
  it.each([
    ['Throttling', () => faultError('route53', 'throttle')],
    ['PriorRequestNotComplete', () => faultError('route53', 'prior-request')],
    ['ServiceUnavailable', () => faultError('route53', 'server-error')],
  ])('sends a call failing with %s exactly maxAttempts times, then fails', async (name, error) => {
    const { r53, adapter } = setup(5);
    r53.failNext('GetHostedZoneCommand', error, 100);
    await expect(adapter.getZone(ZONE)).rejects.toMatchObject({ name, $metadata: { attempts: 5 } });
    expect(sent(r53, 'GetHostedZoneCommand')).toBe(5);
  });

  it('succeeds on the attempt after the last throttled one', async () => {
    const { r53, adapter } = setup(5);
    r53.failNext('GetHostedZoneCommand', () => faultError('route53', 'throttle'), 4);
    expect(await adapter.getZone(ZONE)).toEqual({ id: ZONE, name: 'example.com.' });
    expect(sent(r53, 'GetHostedZoneCommand')).toBe(5);
  });

  it('sends InvalidChangeBatch and AccessDenied exactly once', async () => {
    const { r53, adapter, client } = setup(5);
    const record = {
      Name: 'a.example.com',
      Type: 'TXT' as const,
      TTL: 60,
      ResourceRecords: [{ Value: '"x"' }],
    };
    await expect(
      adapter.changeRecords(
        ZONE,
        [{ Action: 'DELETE', ResourceRecordSet: record }],
        'delete a missing record',
      ),
    ).rejects.toMatchObject({ name: 'InvalidChangeBatch' });
    expect(sent(r53, 'ChangeResourceRecordSetsCommand')).toBe(1);
    r53.failNext('ChangeResourceRecordSetsCommand', () => faultError('route53', 'refused'), 100);
    await expect(
      client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: ZONE,
          ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: record }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(sent(r53, 'ChangeResourceRecordSetsCommand')).toBe(2);
  });

  it('takes its attempts from AWS_MAX_ATTEMPTS, else 8', async () => {
    process.env.AWS_MAX_ATTEMPTS = '3';
    expect(maxAttemptsFrom()).toBe(3);
    const { r53, client } = setup();
    r53.failNext('GetHostedZoneCommand', () => faultError('route53', 'throttle'), 100);
    await expect(client.send(new GetHostedZoneCommand({ Id: ZONE }))).rejects.toMatchObject({
      name: 'Throttling',
    });
    expect(sent(r53, 'GetHostedZoneCommand')).toBe(3);
    expect(maxAttemptsFrom({ AWS_MAX_ATTEMPTS: 'lots' })).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(maxAttemptsFrom({})).toBe(8);
  });
});
