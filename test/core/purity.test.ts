import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const coreDir = new URL('../../shared/core/', import.meta.url).pathname;

describe('shared/core stays pure', () => {
  const files = readdirSync(coreDir).filter((file) => file.endsWith('.ts'));

  it.each(files)(
    '%s imports no AWS SDK, adapter or local-mode code and reads no clock or environment',
    (file) => {
      const source = readFileSync(join(coreDir, file), 'utf8');
      const imports = [...source.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((match) => match[1]!);
      expect(
        imports.filter((spec) => /^@aws-sdk|^aws-lambda|^aws-cdk-lib|\/(aws|local|cli)\//.test(spec)),
      ).toEqual([]);
      expect(source).not.toMatch(/\bprocess\.env\b|\bDate\.now\(|new Date\(\)/);
    },
  );
});

describe('entry points sit around one shared core', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const sources = (dir: string): string[] =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(dir, file));

  it.each([...sources('shared'), ...sources('functions')])(
    '%s imports neither the CLI nor local mode',
    (file) => {
      const source = readFileSync(join(root, file), 'utf8');
      const imports = [...source.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((match) => match[1]!);
      expect(imports.filter((spec) => /(^|\/)(cli|local)\//.test(spec))).toEqual([]);
    },
  );
});
