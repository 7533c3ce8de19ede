import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

describe('layers import downwards only, without circles', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const files = ['shared', 'local', 'functions', 'cli'].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(dir, file)),
  );
  const importsOf = (file: string): string[] =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/(?:from|import)\s+['"](\.[^'"]+)['"]/g)].map((m) =>
      join(dirname(file), m[1]!),
    );

  it('shared/reconcile imports nothing from shared/serving or shared/aws (the layers above it)', () => {
    const upward = files
      .filter((file) => file.startsWith('shared/reconcile/'))
      .flatMap((file) => importsOf(file).map((target) => `${file} -> ${target}`))
      .filter((edge) => /-> shared\/(serving|aws)\//.test(edge));
    expect(upward).toEqual([]);
  });

  it('no module imports itself back through others', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((t) => files.includes(t))]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });
});
