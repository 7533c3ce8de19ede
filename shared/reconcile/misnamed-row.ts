import { chainInvalidAlert, conflictAlert, type Alert } from '../core/alerts.ts';
import { hostnameProblem } from '../core/dns-name.ts';
import type { ReconcileDeps } from '../ports.ts';
import type { PreparedReconcile } from './reconcile-types.ts';
import { StatusDraft } from './status-draft.ts';

/**
 * A row whose key is not its normalised name (upper case or a trailing dot, easy to type in the
 * DynamoDB console). It builds nothing: its status, under its own key, says how to write it,
 * alerted once; with a row at the right key too, the two are a CONFLICT. Never silent.
 */
export async function misnamedRow(
  rawName: string,
  name: string,
  deps: ReconcileDeps,
): Promise<PreparedReconcile> {
  const now = () => deps.clock().toISOString();
  const stored = await deps.status.get(rawName);
  const row = await deps.chains.get(rawName);
  const twin = row === undefined ? undefined : await deps.chains.get(name);
  const status = new StatusDraft(deps.status, stored, rawName, now);
  // Lower case does not make every key a DNS name (`İ` lower-cases to `i` and a combining dot):
  // then what is wrong with the name is the error, not how to write it.
  const nameProblem = hostnameProblem(name);
  const done = (
    state: 'ABSENT' | 'DELETED' | 'INVALID' | 'CONFLICT',
    alerts: Alert[] = [],
  ): PreparedReconcile => ({
    name: rawName,
    zoneId: undefined,
    changes: [],
    hold: () => Promise.resolve(),
    finish: () => Promise.resolve({ name: rawName, state, recordChanges: 0, alerts }),
    fail: (error) => Promise.reject(error instanceof Error ? error : new Error(String(error))),
  });
  if (row === undefined) {
    if (!status.known) return done('ABSENT');
    Object.assign(status.draft, { state: 'DELETED', errors: [] });
    await status.saveAndDeliver(deps);
    return done('DELETED');
  }
  const [state, message, alert] =
    twin === undefined
      ? ([
          'INVALID',
          nameProblem === undefined
            ? `name: write the key as ${name} (names are matched in lower case, without a trailing dot); remove this row with chains delete '${rawName}'`
            : `name: ${nameProblem}; remove this row with chains delete '${rawName}'`,
          (messages: string[]) => chainInvalidAlert(rawName, messages, now()),
        ] as const)
      : ([
          'CONFLICT',
          `name: the row ${name} serves the same DNS name; delete this one (chains delete '${rawName}')`,
          () =>
            conflictAlert(
              rawName,
              [{ name, type: 'row', reason: `the rows ${rawName} and ${name} name one DNS name` }],
              now(),
            ),
        ] as const);
  Object.assign(status.draft, { state, errors: [message] });
  const published = alert([message]);
  const alerted = status.alertOnce([state, message], published);
  await status.saveAndDeliver(deps);
  return done(state, alerted ? [published] : []);
}
