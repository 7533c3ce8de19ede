import fc from 'fast-check';
import { it } from 'vitest';
import { commandArbs, newReal } from './commands.ts';
import { ReferenceModel } from './reference-model.ts';

it('catalogue', async () => {
  const samples = fc.sample(fc.commands(commandArbs, { maxCommands: 16, size: 'max' }), { numRuns: Number(process.env.N ?? 100), seed: Number(process.env.SEED ?? 1) });
  const classes = new Map<string, string[]>();
  for (const commands of samples) {
    const real = await newReal();
    try {
      await fc.asyncModelRun(() => ({ model: new ReferenceModel(), real }), [...commands]);
    } catch (e) {
      const msg = (e as Error).message;
      const key = msg.split('\n').slice(1).map((l) => l.replace(/[a-z]+\.example\.com/g, 'X').replace(/\(.*?\)/g, '').replace(/\b[a-d]\b/g, 'T').slice(0, 90)).join(' | ');
      const stepKind = msg.split('\n')[0]!.replace(/after /, '').split(' ').slice(0,2).join(' ');
      const k = `${stepKind}: ${key}`;
      if (!classes.has(k)) classes.set(k, [commands.toString(), msg]);
    } finally {
      real.system.destroy();
    }
  }
  for (const [k, [cmds, msg]] of classes) console.log(`\n### ${k}\n${cmds}\n${msg}`);
}, 3_600_000);
