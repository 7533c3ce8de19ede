/** SDK errors carry the service's error code in `name`. */
export function hasName(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
