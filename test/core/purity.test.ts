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
