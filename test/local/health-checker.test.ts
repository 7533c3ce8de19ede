import { CreateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { CloudWatchStandIn } from '../../local/cloudwatch-stand-in.ts';
import { isLoopbackTarget, LocalHealthChecker } from '../../local/health-checker.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { freePort } from '../../local/port-check.ts';

describe('local health checker: loopback targets only', () => {
  it('refuses to probe a public address, says so once, and counts the check as failing', async () => {
    const route53 = new Route53StandIn({ allowReservedAddresses: true });
    const { HealthCheck } = (await route53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'public',
        HealthCheckConfig: { Type: 'HTTP', IPAddress: '8.8.8.8', Port: 80, ResourcePath: '/' },
      }),
    )) as { HealthCheck: { Id: string } };
    const lines: string[] = [];
    const checker = new LocalHealthChecker(route53, new CloudWatchStandIn(), {
      intervalMs: 1000,
      failureThreshold: 1,
      timeoutMs: 50,
      onRefused: (line) => lines.push(line),
    });
    await checker.tick();
    await checker.tick();
    expect(lines).toEqual([
      `local mode probes loopback addresses only: health check ${HealthCheck.Id} targets 8.8.8.8, counted as failing (use 127.0.0.x in rows applied locally)`,
    ]);
    expect(route53.unhealthy.has(HealthCheck.Id)).toBe(true);
  });

  it('probes loopback servers (a closed port fails; no refusal)', async () => {
    const route53 = new Route53StandIn({ allowReservedAddresses: true });
    const port = await freePort();
    const { HealthCheck } = (await route53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'loopback',
        HealthCheckConfig: { Type: 'TCP', IPAddress: '127.0.0.3', Port: port },
      }),
    )) as { HealthCheck: { Id: string } };
    const lines: string[] = [];
    const checker = new LocalHealthChecker(route53, new CloudWatchStandIn(), {
      intervalMs: 1000,
      failureThreshold: 1,
      timeoutMs: 200,
      onRefused: (line) => lines.push(line),
    });
    await checker.tick();
    expect(lines).toEqual([]);
    expect(route53.unhealthy.has(HealthCheck.Id)).toBe(true);
  });

  it('gives a new check a verdict (GetHealthCheckStatus observations) once it has FailureThreshold results', async () => {
    const route53 = new Route53StandIn({ allowReservedAddresses: true });
    const port = await freePort();
    const { HealthCheck } = (await route53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'new',
        HealthCheckConfig: { Type: 'TCP', IPAddress: '127.0.0.3', Port: port, FailureThreshold: 2 },
      }),
    )) as { HealthCheck: { Id: string } };
    const checker = new LocalHealthChecker(route53, new CloudWatchStandIn(), {
      intervalMs: 1000,
      timeoutMs: 200,
    });
    await checker.tick();
    expect(route53.unreported.has(HealthCheck.Id)).toBe(true);
    expect(route53.unhealthy.has(HealthCheck.Id)).toBe(false);
    await checker.tick();
    expect(route53.unreported.has(HealthCheck.Id)).toBe(false);
    expect(route53.unhealthy.has(HealthCheck.Id)).toBe(true);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['localhost', true],
    ['10.0.0.1', false],
    ['192.0.2.1', false],
    ['example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackTarget(host)).toBe(loopback);
  });
});
