import { isatty } from 'node:tty';
import { createInterface } from 'node:readline/promises';
import { text } from 'node:stream/consumers';

/** Where a command writes and reads; tests pass their own to see what a user would see. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress is drawn only then, so piped output stays clean. */
  isTTY?: boolean;
  /** Redraw the one progress line on stderr (no newline); '' clears it. */
  progress?: (text: string) => void;
  /** All of standard input, for the file name `-`. */
  readStdin?: () => Promise<string>;
  /** Ask a question on the terminal; absent when stdin is not a terminal, so nothing can be confirmed. */
  ask?: (question: string) => Promise<string>;
}

const line = (value: string) => (value.endsWith('\n') ? value : `${value}\n`);

async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

/** The real terminal. */
export const processIo: CliIo = {
  out: (value) => process.stdout.write(line(value)),
  err: (value) => process.stderr.write(line(value)),
  isTTY: isatty(2),
  progress: (value) => process.stderr.write(value === '' ? '\r\x1b[2K' : `\r\x1b[2K${value}`),
  readStdin: () => text(process.stdin),
  ...(isatty(0) ? { ask } : {}),
};
