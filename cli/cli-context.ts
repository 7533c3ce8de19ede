import type { DynamoChainStore } from '../shared/aws/chain-store.ts';
import { chainStoreFromEnv, servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { settingsFromEnv, type Settings } from '../shared/settings.ts';
import type { CliIo } from './io.ts';

/** What commands share: output, settings from flags and environment, and lazily built AWS access. */
export interface CliContext {
  io: CliIo;
  settings(): Settings;
  store(): Pick<DynamoChainStore, 'put' | 'remove'>;
  deps(): ServingDeps;
}

/** Hooks tests use to run commands against DynamoDB Local and the stand-ins. */
export interface CliOverrides {
  deps?: (settings: Settings) => ServingDeps;
  store?: (settings: Settings) => Pick<DynamoChainStore, 'put' | 'remove'>;
}

/** Build the context; flags (read through `flags`) win over environment variables. */
export function cliContext(
  io: CliIo,
  flags: () => { owner: string; chainsTable?: string; statusTable?: string },
  overrides: CliOverrides = {},
): CliContext {
  const settings = (): Settings => {
    const { owner, chainsTable, statusTable } = flags();
    const base = settingsFromEnv({ ...process.env, OWNER_ID: owner });
    return { ...base, ...(chainsTable ? { chainsTable } : {}), ...(statusTable ? { statusTable } : {}) };
  };
  return {
    io,
    settings,
    store: () => overrides.store?.(settings()) ?? chainStoreFromEnv(settings()),
    deps: () => {
      const deps = overrides.deps?.(settings()) ?? servingDepsFromEnv(settings());
      return process.env.CHAINS_LOCAL_MODE && !overrides.deps ? dynamoDbOnly(deps) : deps;
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
    status: { get: (name) => deps.status.get(name), list: () => deps.status.list(), save: refuse },
    history: { list: (chain, limit) => deps.history.list(chain, limit), append: refuse },
  };
}
