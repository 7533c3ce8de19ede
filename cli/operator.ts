import { hostname, userInfo } from 'node:os';

/** Who is acting, written to a row as `changedBy` so alerts and history can say it. */
export function operator(via: string): string {
  return `${userInfo().username}@${hostname()} via ${via}`;
}
