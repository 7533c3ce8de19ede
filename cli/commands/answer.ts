import type { Command } from 'commander';
import { answerWithHealthyTiers } from '../../shared/core/serving-tier.ts';
import type { CliIo } from '../io.ts';
import { loadChain } from '../load-chain.ts';
import { exitWith } from '../exit-code.ts';
import { UsageError } from '../usage-error.ts';
import { formatAnswer } from '../format-answer.ts';

/** Every --healthy given, merged: `--healthy a --healthy b` is `--healthy a,b`. */
function collectTiers(value: string, previous: string[] | undefined): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return [...new Set([...(previous ?? []), ...ids])];
}

/** `chains answer FILE --healthy a,b`: what Route 53 would answer with only those tiers healthy. */
export function registerAnswer(program: Command, io: CliIo, owner: () => Promise<string>): void {
  program
    .command('answer')
    .description("print Route 53's answer for the chain's name when only the given tiers are healthy")
    .argument('<file>', 'the row as JSON or YAML (- for stdin)')
    .requiredOption(
      '--healthy <tiers>',
      'comma-separated healthy tier ids ("" for none); may be given more than once',
      collectTiers,
    )
    .option('--json', 'print JSON')
    .action(async (file: string, options: { healthy: string[]; json?: boolean }) => {
      const chain = await loadChain(file, io);
      if (!chain) exitWith(1);
      const healthy = new Set(options.healthy);
      const unknown = [...healthy].filter((id) => !chain.tiers.some((tier) => tier.id === id));
      if (unknown.length > 0) {
        throw new UsageError(
          `--healthy: unknown tier ${unknown.join(', ')}; the chain's tiers are ${chain.tiers.map((t) => t.id).join(', ')}`,
        );
      }
      const result = answerWithHealthyTiers(chain, healthy, await owner());
      if (options.json) {
        io.out(JSON.stringify({ servingTier: result.tier?.id ?? null, ...result.answer }, null, 2));
      } else {
        io.out(formatAnswer(chain, result.answer, result.tier));
      }
    });
}
