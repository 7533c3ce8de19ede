/** Why `npm ci` must run in `root` first, or undefined when node_modules matches package-lock.json. */
export function installReason(root: string): string | undefined;
