// Run first by `npm start` and `npm test`: install dependencies when they are missing or older
// than package-lock.json, so both commands work on a fresh clone. Plain Node with no
// dependencies, because it runs before any are installed.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Why `npm ci` must run in `root` first, or undefined when node_modules matches package-lock.json. */
export function installReason(root) {
  const lock = mtime(join(root, 'package-lock.json'));
  const installed = mtime(join(root, 'node_modules', '.package-lock.json'));
  if (lock === undefined) return undefined;
  if (installed === undefined) return 'node_modules is missing';
  if (lock > installed) return 'package-lock.json is newer than node_modules';
  return undefined;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const reason = installReason(root);
  if (reason) {
    process.stderr.write(`${reason}: running npm ci first\n`);
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      process.stderr.write(
        `npm ci failed (${result.error?.message ?? `exit ${result.status}`}): fix it and retry\n`,
      );
      process.exit(1);
    }
  }
}
