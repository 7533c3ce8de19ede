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
    deps: () => overrides.deps?.(settings()) ?? servingDepsFromEnv(settings()),
  };
}
