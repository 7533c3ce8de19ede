import { describe, expect, inject, it } from 'vitest';
import { startLocalSystem } from '../../local/local-system.ts';
import { rehearse } from '../../local/rehearsal.ts';

describe('npm start rehearsal', () => {
  it("plays the seed's three-level failover offline: DNS, HTTP, alerts and history at every step", async () => {
    const system = await startLocalSystem({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      dnsPort: 0,
      tierPort: 0,
      checkIntervalMs: 100,
      failureThreshold: 1,
      streamPollMs: 50,
    });
    try {
      const lines: string[] = [];
      const steps = await rehearse(system, { stepTimeoutMs: 15_000, log: (line) => lines.push(line) });
      expect(
        steps.map(({ step, ok, cnames, address, response, alert }) => ({
          step,
          ok,
          cnames,
          address,
          response,
          alert,
        })),
      ).toEqual([
        {
          step: 'write the chain row (primary -> secondary -> tertiary)',
          ok: true,
          cnames: ['primary.resilient-site.example.com'],
          address: '127.0.0.1',
          response: 'server #1',
        },
        {
          step: 'stop server #1',
          ok: true,
          cnames: ['backup.resilient-site.example.com', 'secondary.resilient-site.example.com'],
          address: '127.0.0.2',
          response: 'server #2',
          alert: 'resilient-site.example.com: primary -> secondary',
        },
        {
          step: 'stop server #2',
          ok: true,
          cnames: ['backup.resilient-site.example.com', 'tertiary.resilient-site.example.com'],
          address: '127.0.0.3',
          response: 'server #3',
          alert: 'resilient-site.example.com: secondary -> tertiary',
        },
        {
          step: 'start servers #1 and #2 again',
          ok: true,
          cnames: ['primary.resilient-site.example.com'],
          address: '127.0.0.1',
          response: 'server #1',
          alert: expect.stringMatching(
            /^resilient-site\.example\.com: (secondary|tertiary) -> primary \(recovered\)$/,
          ) as string,
        },
      ]);
      // Latency: each step times the DNS answer moving and, where one is due, the alert.
      for (const step of steps) {
        expect(step.dnsSeconds).toBeGreaterThan(0);
        expect(step.dnsSeconds).toBeLessThanOrEqual(step.seconds);
      }
      for (const step of steps.slice(1)) {
        expect(step.alertSeconds).toBeGreaterThan(0);
        expect(step.alertSeconds).toBeLessThanOrEqual(step.seconds);
      }
      const printed = lines.join('\n');
      expect(printed).toContain('Local timing: health checks every 0.1 s, 1 failed in a row to flip');
      expect(printed.match(/^ {2}time {3}DNS answer moved after \d+\.\d s$/gm)).toHaveLength(1);
      expect(
        printed.match(/^ {2}time {3}DNS answer moved after \d+\.\d s, alert after \d+\.\d s$/gm),
      ).toHaveLength(3);
      await system.settle();
      const history = await system.world.deps.history.list('resilient-site.example.com');
      expect(history.at(-1)).toMatchObject({
        event: 'TIER_CHANGED',
        from: 'primary',
        to: 'secondary',
        failed: ['primary'],
      });
      expect(history.at(-2)).toMatchObject({
        event: 'TIER_CHANGED',
        from: 'secondary',
        to: 'tertiary',
        failed: ['secondary'],
      });
      expect(history[0]).toMatchObject({ event: 'RECOVERED', to: 'primary' });
      expect(await system.world.deps.status.get('resilient-site.example.com')).toMatchObject({
        state: 'IN_SYNC',
        servingTier: 'primary',
      });
    } finally {
      await system.stop();
    }
  }, 90_000);
});
