/** A zone id without the `/hostedzone/` prefix the API sometimes adds. */
export function zoneIdOf(id: string | undefined): string {
  return (id ?? '').replace(/^\/hostedzone\//, '');
}
