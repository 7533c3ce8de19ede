import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { Route53Adapter } from '../../shared/aws/route53-adapter.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { CallerReferenceTaken } from '../../shared/ports.ts';

const ZONE = 'ZADAPTER';

async function zoneWith(names: string[], pageSize = 2) {
  const r53 = new Route53StandIn({ pageSize });
  r53.addZone(ZONE, 'example.com');
  if (names.length === 0) return r53;
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: ZONE,
      ChangeBatch: {
        Changes: names.map((name) => ({
          Action: 'CREATE' as const,
          ResourceRecordSet: {
            Name: name,
            Type: 'TXT' as const,
            TTL: 60,
            ResourceRecords: [{ Value: '"x"' }],
          },
        })),
      },
    }),
  );
  return r53;
}

describe('Route53Adapter', () => {
  it("lists a chain's names page by page and stops at the first name outside them", async () => {
    const r53 = await zoneWith([
      'a.example.com',
      'site.example.com',
      'backup.site.example.com',
      'x.site.example.com',
      'zz.example.com',
    ]);
    const adapter = new Route53Adapter(r53, { createHealthCheckIntervalMs: 0 });
    const names = (await adapter.listRecordsUnder(ZONE, 'site.example.com')).map((r) => r.Name);
    expect(names).toEqual(['site.example.com.', 'backup.site.example.com.', 'x.site.example.com.']);
    // Two pages of two: the third page (zz) is never asked for.
    expect(r53.calls.filter((c) => c === 'ListResourceRecordSetsCommand')).toHaveLength(2);
    expect((await adapter.listZone(ZONE)).map((r) => r.Name)).toHaveLength(5);
  });

  it('paces health check creation and maps a refused CallerReference', async () => {
    const r53 = await zoneWith([]);
    const adapter = new Route53Adapter(r53, { createHealthCheckIntervalMs: 60 });
    const config = { Type: 'TCP' as const, IPAddress: '8.8.8.8', Port: 53 };
    const started = Date.now();
    await adapter.createHealthCheck('ref-a', config);
    await adapter.createHealthCheck('ref-b', config);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    await expect(adapter.createHealthCheck('ref-a', { ...config, Port: 54 })).rejects.toBeInstanceOf(
      CallerReferenceTaken,
    );
  });

  it('reads tags of many checks ten at a time', async () => {
    const r53 = await zoneWith([]);
    const adapter = new Route53Adapter(r53, { createHealthCheckIntervalMs: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const { HealthCheck } = (await r53.send(
        new CreateHealthCheckCommand({
          CallerReference: `r${i}`,
          HealthCheckConfig: { Type: 'TCP', IPAddress: '8.8.8.8', Port: 53 },
        }),
      )) as { HealthCheck: { Id: string } };
      ids.push(HealthCheck.Id);
      await adapter.tagHealthCheck(HealthCheck.Id, { n: String(i) });
    }
    const tags = await adapter.tagsOf(ids);
    expect(tags.get(ids[22]!)).toEqual({ n: '22' });
    expect(r53.calls.filter((c) => c === 'ListTagsForResourcesCommand')).toHaveLength(3);
    expect(await adapter.listHealthChecks()).toHaveLength(23);
  });
});
