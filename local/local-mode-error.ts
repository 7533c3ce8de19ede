/** A problem `npm start` explains in one line (busy port, no Java, bad option) instead of a stack trace. */
export class LocalModeError extends Error {
  override name = 'LocalModeError';
}
