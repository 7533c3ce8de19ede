/** Where a command writes; tests pass their own to read what a user would see. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** The real terminal. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};
