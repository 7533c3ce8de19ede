import { createInterface, type Interface } from 'node:readline';
import type { LocalSystem } from './local-system.ts';
import { replCommand } from './repl-commands.ts';

/**
 * A print function that never breaks the prompt: on a terminal it clears the line being typed,
 * prints, and redraws the prompt with what was typed so far (alerts arrive at any moment).
 */
export function promptSafePrinter(rl: Interface, output: NodeJS.WritableStream & { isTTY?: boolean }) {
  let reading = false;
  return {
    print: (line: string) => {
      if (!reading || !output.isTTY) {
        output.write(`${line}\n`);
        return;
      }
      output.write(`\r\x1b[2K${line}\n`);
      rl.prompt(true);
    },
    /** Whether a prompt is on screen (set around each wait for input). */
    setReading: (value: boolean) => {
      reading = value;
    },
  };
}

/** The `local>` prompt of `npm start -- --interactive`; resolves when the user quits or input ends. */
export async function runRepl(
  local: LocalSystem,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream & { isTTY?: boolean },
  setPrinter: (print: (line: string) => void) => void,
): Promise<void> {
  const rl = createInterface({ input, output, prompt: 'local> ', terminal: output.isTTY === true });
  const printer = promptSafePrinter(rl, output);
  // On a terminal readline takes Ctrl-C itself: treat it as quit.
  rl.on('SIGINT', () => {
    rl.close();
  });
  setPrinter(printer.print);
  rl.prompt();
  printer.setReading(true);
  try {
    for await (const line of rl) {
      printer.setReading(false);
      try {
        if ((await replCommand(local, line, printer.print)) === 'quit') break;
      } catch (error) {
        printer.print(`error: ${error instanceof Error ? error.message : String(error)}`);
      }
      rl.prompt();
      printer.setReading(true);
    }
  } finally {
    printer.setReading(false);
    rl.close();
  }
}
