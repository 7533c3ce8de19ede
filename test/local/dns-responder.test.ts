import { Resolver } from 'node:dns/promises';
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planChain } from '../../shared/core/plan-records.ts';
import { DnsResponder } from '../../local/dns-responder.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { chainOf, fiveTierARow, seedRow } from '../fixtures/chains.ts';

const ZONE = 'Z0123456789EXAMPLE';
const r53 = new Route53StandIn();
const dns = new DnsResponder(r53, '127.0.0.1', 0);
const resolver = new Resolver({ timeout: 1000, tries: 1 });
const ids: Record<string, string> = {};

beforeAll(async () => {
  r53.addZone(ZONE, 'example.com');
  for (const tier of ['primary', 'secondary', 'eu', 'us', 'ap']) {
    const { HealthCheck } = (await r53.send(
      new CreateHealthCheckCommand({
        CallerReference: tier,
        HealthCheckConfig: { Type: 'TCP', IPAddress: '8.8.8.8', Port: 53 },
      }),
    )) as { HealthCheck: { Id: string } };
    ids[tier] = HealthCheck.Id;
  }
  const records = [
    ...planChain(chainOf(seedRow()), { owner: 'default', healthCheckIds: ids }).records,
    ...planChain(chainOf(fiveTierARow()), { owner: 'default', healthCheckIds: ids }).records,
    {
      Name: 'secondary.resilient-site.example.com.',
      Type: 'A',
      TTL: 60,
      ResourceRecords: [{ Value: '192.0.2.2' }],
    },
  ];
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: ZONE,
      ChangeBatch: {
        Changes: records.map((record) => ({ Action: 'CREATE', ResourceRecordSet: record as never })),
      },
    }),
  );
  await dns.start();
  resolver.setServers([`127.0.0.1:${dns.address.port}`]);
});
afterAll(async () => {
  await dns.stop();
});

describe('DNS responder (queried over UDP with a real resolver)', () => {
  it('answers a CNAME chain the way Route 53 would, following CNAMEs inside the zone', async () => {
    expect(await resolver.resolveCname('resilient-site.example.com')).toEqual([
      'primary.resilient-site.example.com',
    ]);
    r53.unhealthy.add(ids.primary!);
    expect(await resolver.resolveCname('resilient-site.example.com')).toEqual([
      'backup.resilient-site.example.com',
    ]);
    expect(await resolver.resolve4('resilient-site.example.com')).toEqual(['192.0.2.2']);
    r53.unhealthy.delete(ids.primary!);
  });

  it('answers an A chain through its alias levels under the queried name', async () => {
    expect(await resolver.resolve4('shop.example.com', { ttl: true })).toEqual([
      { address: '3.3.3.1', ttl: 30 },
    ]);
    r53.unhealthy.add(ids.eu!);
    r53.unhealthy.add(ids.us!);
    expect((await resolver.resolve4('shop.example.com')).sort()).toEqual(['3.3.3.4']);
    r53.unhealthy.add(ids.ap!);
    // The ELB alias tier is outside the zone: Route 53 would answer with the load balancer's addresses.
    expect(
      await resolver
        .resolve4('shop.example.com')
        .catch((error: unknown) => (error as NodeJS.ErrnoException).code),
    ).toBe('ENODATA');
  });

  it('says NXDOMAIN for a name the zone does not hold', async () => {
    await expect(resolver.resolve4('nope.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
