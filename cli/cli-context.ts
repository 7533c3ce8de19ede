import type { DynamoChainStore } from '../shared/aws/chain-store.ts';
import { chainStoreFromEnv, servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import { readStackOutputs } from '../shared/aws/stack-outputs.ts';
import { missingTables } from '../shared/aws/table-exists.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { settingsFromEnv, type Settings } from '../shared/settings.ts';
import type { FailureContext } from './explain-error.ts';
import type { CliIo } from './io.ts';

/** The Chains table as the CLI uses it: read (as rows or as stored), list, write and delete rows. */
export type RowStore = Pick<DynamoChainStore, 'get' | 'getItem' | 'scan' | 'put' | 'remove'>;

/** What commands share: output, settings from flags, stack and environment, and lazily built AWS access. */
export interface CliContext {
  io: CliIo;
  settings(): Promise<Settings>;
  store(): Promise<RowStore>;
  deps(): Promise<ServingDeps>;
  failure: FailureContext;
}

/** Hooks tests use to run commands against DynamoDB Local and the stand-ins. */
export interface CliOverrides {
  deps?: (settings: Settings) => ServingDeps;
  store?: (settings: Settings) => RowStore;
  stackOutputs?: (stackName: string) => Promise<Record<string, string>>;
  missingTables?: (names: string[]) => Promise<string[]>;
}

/** The global flags. */
export interface GlobalFlags {
  owner?: string;
  chainsTable?: string;
  statusTable?: string;
  stack?: string;
}

/** Stack outputs the CLI reads, and the setting each one fills. */
const STACK_OUTPUTS = {
  ChainsTableName: 'CHAINS_TABLE',
  StatusTableName: 'STATUS_TABLE',
  OwnerId: 'OWNER_ID',
  HostedZoneIds: 'ALLOWED_HOSTED_ZONE_IDS',
  AllowedNameSuffixes: 'ALLOWED_NAME_SUFFIXES',
  AlertsTopicArn: 'ALERTS_TOPIC_ARN',
} as const;
const REQUIRED_OUTPUTS = ['ChainsTableName', 'StatusTableName', 'OwnerId', 'HostedZoneIds'] as const;

/** The deployment's settings as variables, from its stack's outputs. */
export async function stackEnvironment(
  stackName: string,
  read: (name: string) => Promise<Record<string, string>>,
): Promise<Record<string, string>> {
  const outputs = await read(stackName);
  const missing = REQUIRED_OUTPUTS.filter((key) => outputs[key] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `stack ${stackName} has no ${missing.join(', ')} output: deploy this version of the stack (npx cdk deploy), or pass the settings as flags`,
    );
  }
  // Without the suffixes output, the deployment allows any name in its zones.
  const env: Record<string, string> = { ALLOWED_NAME_SUFFIXES: '' };
  for (const [key, variable] of Object.entries(STACK_OUTPUTS)) {
    const value = outputs[key];
    if (value !== undefined) env[variable] = value;
  }
  return env;
}

/**
 * Build the context. Settings come from, in order of precedence: flags, the stack's outputs
 * (--stack), environment variables, defaults. Read once per run.
 */
export function cliContext(io: CliIo, flags: () => GlobalFlags, overrides: CliOverrides = {}): CliContext {
  let cached: Promise<Settings> | undefined;
  const settings = (): Promise<Settings> => {
    cached ??= (async () => {
      const { owner, chainsTable, statusTable, stack } = flags();
      const fromStack = stack
        ? await stackEnvironment(stack, overrides.stackOutputs ?? ((name) => readStackOutputs(name)))
        : {};
      return settingsFromEnv({
        ...process.env,
        ...fromStack,
        ...(owner === undefined ? {} : { OWNER_ID: owner }),
        ...(chainsTable === undefined ? {} : { CHAINS_TABLE: chainsTable }),
        ...(statusTable === undefined ? {} : { STATUS_TABLE: statusTable }),
      });
    })();
    return cached;
  };
  return {
    io,
    settings,
    store: async () => {
      const current = await settings();
      return overrides.store?.(current) ?? chainStoreFromEnv(current);
    },
    deps: async () => {
      const current = await settings();
      // A terminal is no place for the serving-tier metric's log lines (Lambda's alone).
      const deps = overrides.deps?.(current) ?? {
        ...servingDepsFromEnv(current),
        emitMetric: () => undefined,
      };
      return process.env.CHAINS_LOCAL_MODE && !overrides.deps ? dynamoDbOnly(deps) : deps;
    },
    failure: {
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
      tables: async () => {
        const current = await settings();
        return [
          { name: current.chainsTable, flag: '--chains-table', variable: 'CHAINS_TABLE' },
          { name: current.statusTable, flag: '--status-table', variable: 'STATUS_TABLE' },
        ];
      },
      missingTables: overrides.missingTables ?? ((names) => missingTables(names)),
    },
  };
}

/**
 * The environment `npm start --interactive` prints sets CHAINS_LOCAL_MODE: its Route 53,
 * CloudWatch and SNS live in memory inside that process, so a command that needs them (or
 * writes status, which only reconcile and failback do) is refused before it touches anything.
 */
function dynamoDbOnly(deps: ServingDeps): ServingDeps {
  const refuse = (): never => {
    throw new Error(
      'this command needs Route 53 and CloudWatch, which local mode keeps inside `npm start`: type it at the local> prompt instead',
    );
  };
  const refusing = new Proxy({}, { get: () => refuse }) as never;
  return {
    ...deps,
    route53: refusing,
    alarms: refusing,
    alerts: refusing,
    status: {
      get: (name) => deps.status.get(name),
      list: () => deps.status.list(),
      outboxesDue: (at) => deps.status.outboxesDue(at),
      save: refuse,
    },
    history: { list: (chain, limit) => deps.history.list(chain, limit), append: refuse },
  };
}
