import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installReason } from '../../local/preflight.js';

// The decision `npm start` and `npm test` make before running: install, or go straight on.
const clone = (files: Record<string, number>) => {
  const root = mkdtempSync(join(tmpdir(), 'preflight-'));
  mkdirSync(join(root, 'node_modules'));
  for (const [path, seconds] of Object.entries(files)) {
    writeFileSync(join(root, path), '{}');
    utimesSync(join(root, path), seconds, seconds);
  }
  return root;
};

describe('preflight: is npm ci needed?', () => {
  it('installs on a fresh clone (no node_modules/.package-lock.json)', () => {
    expect(installReason(clone({ 'package-lock.json': 1000 }))).toBe('node_modules is missing');
  });

  it('installs when package-lock.json changed after the last install (a pull that added a dependency)', () => {
    expect(installReason(clone({ 'package-lock.json': 2000, 'node_modules/.package-lock.json': 1000 }))).toBe(
      'package-lock.json is newer than node_modules',
    );
  });

  it('goes straight on when node_modules was installed from this lock file', () => {
    expect(installReason(clone({ 'package-lock.json': 1000, 'node_modules/.package-lock.json': 2000 }))).toBe(
      undefined,
    );
    expect(installReason(clone({ 'package-lock.json': 1000, 'node_modules/.package-lock.json': 1000 }))).toBe(
      undefined,
    );
  });

  it('goes straight on in this clone, which npm ci installed', () => {
    expect(installReason(join(import.meta.dirname, '../..'))).toBe(undefined);
  });
});
