/** A mistake in how the command was called, or input it cannot read: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
