import { Resolver } from 'node:dns/promises';
import dnsPacket from 'dns-packet';
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planChain } from '../../shared/core/plan-records.ts';
import { DnsResponder } from '../../local/dns-responder.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { chainOf, fiveTierARow, seedRow } from '../fixtures/chains.ts';
import { overTcp, overUdp, query } from './dns-client.ts';

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
      Name: 'primary.resilient-site.example.com.',
      Type: 'A',
      TTL: 60,
      ResourceRecords: [{ Value: '192.0.2.1' }],
    },
    { Name: 'www.deep.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.9' }] },
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

  it('says NODATA, not NXDOMAIN, for the zone apex and for an empty non-terminal', async () => {
    // example.com is the apex; deep.example.com holds nothing but has www.deep.example.com below it.
    await expect(resolver.resolve4('example.com')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve6('secondary.resilient-site.example.com')).rejects.toMatchObject({
      code: 'ENODATA',
    });
    await expect(resolver.resolve4('deep.example.com')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('refuses names outside its zones', async () => {
    await expect(resolver.resolve4('www.example.org')).rejects.toMatchObject({ code: 'EREFUSED' });
  });
});

// RFC 2308 section 3 (SOA in negative answers), RFC 1034 4.3.2 / RFC 8020 (NXDOMAIN vs NODATA),
// RFC 1035 4.1.1 (QR, RD, opcode), 4.2.2 (TCP framing); Route 53's apex SOA and NS:
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html
describe('DNS responder on the wire, over UDP and TCP', () => {
  const both = async (message: Buffer) => {
    const udp = await overUdp(dns.address.port, message);
    const [tcp] = await overTcp(dns.address.port, [message]);
    expect(tcp).toEqual(udp);
    return udp!;
  };

  it('answers a CNAME chain hop by hop over TCP as over UDP, authoritative, RD copied', async () => {
    const reply = await both(query('resilient-site.example.com', 'A'));
    expect(reply).toMatchObject({ id: 4242, rcode: 'NOERROR', flag_aa: true, flag_rd: true, flag_qr: true });
    expect(reply.answers?.map((a) => [a.name, a.type, 'data' in a ? a.data : undefined])).toEqual([
      ['resilient-site.example.com', 'CNAME', 'primary.resilient-site.example.com'],
      ['primary.resilient-site.example.com', 'A', '192.0.2.1'],
    ]);
    expect(reply.authorities).toEqual([]);
  });

  it('answers several queries on one TCP connection', async () => {
    const replies = await overTcp(dns.address.port, [
      query('shop.example.com', 'A'),
      query('nope.example.com', 'A'),
    ]);
    expect(replies.map((r) => r.rcode)).toEqual(['NOERROR', 'NXDOMAIN']);
  });

  it('puts the SOA in the authority section of NXDOMAIN and NODATA, with the negative-caching TTL', async () => {
    for (const [name, type, rcode] of [
      ['nope.example.com', 'A', 'NXDOMAIN'],
      ['example.com', 'A', 'NOERROR'],
      ['secondary.resilient-site.example.com', 'AAAA', 'NOERROR'],
    ] as const) {
      const reply = await both(query(name, type));
      expect(reply.rcode).toBe(rcode);
      expect(reply.answers).toEqual([]);
      expect(reply.authorities).toEqual([
        expect.objectContaining({ name: 'example.com', type: 'SOA', ttl: 900 }),
      ]);
    }
  });

  it('treats an empty non-terminal as existing (NOERROR, no data)', async () => {
    // deep.example.com holds no record but www.deep.example.com does.
    const between = await both(query('deep.example.com', 'A'));
    expect([between.rcode, between.answers]).toEqual(['NOERROR', []]);
    const missing = await both(query('x.www.deep.example.com', 'A'));
    expect(missing.rcode).toBe('NXDOMAIN');
  });

  it('answers any type at a CNAME with the CNAME, then NODATA when the target has none (RFC 1034 3.6.2)', async () => {
    r53.unhealthy.add(ids.primary!);
    const reply = await both(query('backup.resilient-site.example.com', 'TXT'));
    r53.unhealthy.delete(ids.primary!);
    expect(reply.rcode).toBe('NOERROR');
    expect(reply.answers?.map((a) => a.type)).toEqual(['CNAME']);
  });

  it('answers SOA and NS at the apex, and ANY with every type at a name', async () => {
    expect((await both(query('example.com', 'SOA'))).answers).toEqual([
      expect.objectContaining({ type: 'SOA', name: 'example.com' }),
    ]);
    expect((await both(query('example.com', 'NS'))).answers?.map((a) => a.type)).toEqual(['NS']);
    const any = await both(query('secondary.resilient-site.example.com', 'ANY'));
    expect(any.answers?.map((a) => [a.type, 'data' in a ? a.data : undefined])).toEqual([['A', '192.0.2.2']]);
  });

  it('refuses names outside the zone and classes other than IN', async () => {
    expect((await both(query('www.example.org', 'A'))).rcode).toBe('REFUSED');
    const chaos = query('example.com', 'TXT', {
      questions: [{ name: 'example.com', type: 'TXT', class: 'CH' }],
    });
    expect((await both(chaos)).rcode).toBe('REFUSED');
  });

  it('ignores responses (QR=1) and says NOTIMP for other opcodes', async () => {
    const response = dnsPacket.encode({
      type: 'response',
      id: 7,
      questions: [{ name: 'resilient-site.example.com', type: 'A', class: 'IN' }],
    });
    expect(await overUdp(dns.address.port, response, 300)).toBeUndefined();
    const notify = query('example.com', 'SOA');
    notify.writeUInt16BE(notify.readUInt16BE(2) | (4 << 11), 2); // opcode 4: NOTIFY
    expect((await both(notify)).rcode).toBe('NOTIMP');
  });
});
