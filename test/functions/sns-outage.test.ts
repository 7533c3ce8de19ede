import { Logger } from '@aws-lambda-powertools/logger';
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { makeOutboxSweepHandler } from '../../functions/outbox-sweep.ts';
import { makeResyncHandler } from '../../functions/resync.ts';
import { STATUS_SORT_KEY } from '../../shared/aws/tables.ts';
import { alertId } from '../../shared/core/alerts.ts';
import { OUTBOX_MAX_BYTES, outboxBytes } from '../../shared/core/outbox-rules.ts';
import type { ServingDeps } from '../../shared/ports.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';

// A day of SNS errors (the alerts topic deleted, its key disabled, a broken policy): every alert
// waits in the status item's outbox. The chain below flaps all day as fast as the flap guard
// lets alerts through (five flips, then a quiet window, then it settles and flaps again), with the
// alarm handler, the schedule's full run and the minute's outbox sweep as deployed. The status
// item must stay under DynamoDB's 400 KB and every write to it must go through; once SNS is
// back, every alert kept, and one summary of those dropped, reach the topic.

const NAME = 'checkout-api.payments-gateway.eu-central-1.production.example.com';
const region = (id: string) => ({
  id,
  target: `${id}.${NAME}`,
  healthCheck: { type: 'HTTPS', domainName: `${id}.${NAME}`, path: '/healthz' },
});
const ROW = {
  name: NAME,
  hostedZoneId: 'Z0123456789EXAMPLE',
  recordType: 'CNAME',
  ttl: 60,
  tiers: [
    region('eu-west-1'),
    region('eu-central-1'),
    region('us-east-1'),
    region('us-west-2'),
    { id: 'static', target: `static.${NAME}` },
  ],
};
const DAY_MINUTES = 24 * 60;
const DYNAMODB_ITEM_LIMIT = 400 * 1024;
const silent = new Logger({ logLevel: 'SILENT' });

let rig: Rig | undefined;
afterEach(() => {
  rig?.world.destroy();
  rig = undefined;
});

const utf8 = (text: string) => new TextEncoder().encode(text).length;

/**
 * An item's size as DynamoDB counts it against the 400 KB limit: names and string values in
 * UTF-8, numbers by their significant digits, 3 bytes for each list or map and 1 for each of its
 * elements. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
function itemBytes(item: Record<string, AttributeValue>): number {
  const value = (v: AttributeValue): number => {
    if (v.S !== undefined) return utf8(v.S);
    if (v.N !== undefined) return Math.ceil(v.N.replace(/[-.]/g, '').replace(/^0+|0+$/g, '').length / 2) + 1;
    if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
    if (v.L !== undefined) return 3 + v.L.reduce((sum, e) => sum + value(e) + 1, 0);
    if (v.M !== undefined)
      return 3 + Object.entries(v.M).reduce((sum, [k, e]) => sum + utf8(k) + value(e) + 1, 0);
    if (v.SS !== undefined) return v.SS.reduce((sum, s) => sum + utf8(s), 0);
    throw new Error(`unexpected attribute value ${JSON.stringify(v)}`);
  };
  return Object.entries(item).reduce((sum, [name, v]) => sum + utf8(name) + value(v), 0);
}

describe('a day of SNS errors', () => {
  it(
    "keeps the chain's status writable and under 400 KB, and loses no alert",
    { timeout: 600_000 },
    async () => {
      rig = await makeRig(ROW);
      const { world } = rig;
      // Every alert a writer set out to publish, the summaries of dropped ones apart.
      const produced: string[] = [];
      const deps: ServingDeps = {
        ...world.deps,
        alerts: {
          publish: (alert) => {
            const id = alertId(alert);
            if (alert.event !== 'ALERTS_DROPPED' && !produced.includes(id)) produced.push(id);
            return world.deps.alerts.publish(alert);
          },
        },
      };
      const alarmHandler = makeHealthAlarmHandler(() => deps, silent);
      const fullRun = makeResyncHandler(() => deps, silent);
      const sweep = makeOutboxSweepHandler(() => deps, silent);
      const failures: string[] = [];
      const failed = (what: string) => (error: unknown) => {
        if ((error as Error).name !== 'UndeliveredError') failures.push(`${what}: ${String(error)}`);
      };

      world.sns.removeTopic(world.topicArn);
      let healthy = true;
      let flips = 0;
      let largest = 0;
      for (let minute = 1; minute <= DAY_MINUTES; minute++) {
        rig.tick(60);
        if (minute % 19 < 5) {
          healthy = !healthy;
          flips += 1;
          await rig.setHealth('eu-west-1', healthy);
          for (const event of rig.events.splice(0))
            await alarmHandler(event).catch(failed(`alarm ${minute}`));
        }
        if (minute % 15 === 0) await fullRun().catch(failed(`full run ${minute}`));
        await sweep().catch(failed(`sweep ${minute}`));
        if (minute % 60 === 0) {
          const { Item } = await world.dynamodb.send(
            new GetItemCommand({
              TableName: world.tables.status,
              Key: { name: { S: NAME }, sk: { S: STATUS_SORT_KEY } },
            }),
          );
          largest = Math.max(largest, itemBytes(Item!));
          expect(outboxBytes((await world.deps.status.get(NAME))?.outbox)).toBeLessThanOrEqual(
            OUTBOX_MAX_BYTES,
          );
        }
      }

      expect(failures).toEqual([]);
      expect(largest).toBeLessThan(DYNAMODB_ITEM_LIMIT);
      expect(world.sns.published).toHaveLength(0);
      // The status kept up all day: it says what serves after the last flip.
      const status = (await world.deps.status.get(NAME))!;
      expect(status.servingTier).toBe(healthy ? 'eu-west-1' : 'eu-central-1');
      // Every flip is in the history, dropped alerts or not.
      expect(await world.deps.history.list(NAME, 10_000)).toHaveLength(flips);

      // SNS is back: within the longest wait between attempts, what was kept goes out, with one
      // summary counting the rest.
      world.sns.addTopic(world.topicArn);
      for (let minute = 1; minute <= 16; minute++) {
        rig.tick(60);
        await sweep();
      }
      expect((await world.deps.status.get(NAME))?.outbox).toBeUndefined();
      const delivered = world.sns.published.map(
        (m) => m.json as { id: string; event: string; dropped?: number },
      );
      const summaries = delivered.filter((d) => d.event === 'ALERTS_DROPPED');
      const kept = delivered.filter((d) => d.event !== 'ALERTS_DROPPED').map((d) => d.id);
      expect(summaries).toHaveLength(1);
      expect(new Set(kept).size).toBe(kept.length);
      expect(kept.every((id) => produced.includes(id))).toBe(true);
      expect(kept.length + summaries[0]!.dropped!).toBe(produced.length);
      expect(summaries[0]!.dropped).toBeGreaterThan(0);
      // The newest were kept.
      expect(kept).toContain(produced.at(-1));
    },
  );
});
