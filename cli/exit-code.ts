/** Carries a command's exit code out of commander's action callbacks. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** End the command with this exit code (0 ok, 1 the input was rejected, 2 usage). */
export function exitWith(code: number): never {
  throw new ExitCode(code);
}
