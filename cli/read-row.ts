import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toPlainRow } from '../shared/aws/dynamodb-json.ts';
import { UsageError } from './usage-error.ts';

// Every way a row file can be unusable ends in one UsageError line that names the file, so a
// user never sees a parser's stack trace or a JavaScript TypeError.

/** File name that means standard input. */
export const STDIN = '-';
const ROW_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/** Where a file's text comes from; `readStdin` serves the name `-`. */
export type ReadStdin = () => Promise<string>;

/** The text of a file (or of stdin for `-`), without a UTF-8 byte order mark. */
export async function readInputText(path: string, readStdin?: ReadStdin): Promise<string> {
  let text: string;
  try {
    if (path === STDIN) {
      if (!readStdin) throw new UsageError('-: standard input cannot be read here');
      text = await readStdin();
    } else text = await readFile(path, 'utf8');
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(`${path}: ${fileProblem(error)}`);
  }
  return text.replace(/^\uFEFF/, '');
}

function fileProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a folder; give a row file (apply also takes folders)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Parse JSON or YAML: by extension, and for stdin by whether the text starts like JSON. */
export function parseText(text: string, source: string): unknown {
  if (text.trim() === '') throw new UsageError(`${source}: empty file; a row is one JSON or YAML object`);
  const extension = extname(source).toLowerCase();
  const yaml = extension === '.yaml' || extension === '.yml' || (source === STDIN && !/^\s*[[{]/.test(text));
  return yaml ? parseYaml(text, source) : parseJson(text, source);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON (${(error as Error).message})`);
  }
}

function parseYaml(text: string, source: string): unknown {
  const documents = parseAllDocuments(text);
  const problem = documents.flatMap((document) => document.errors)[0];
  if (problem) throw new UsageError(`${source}: not valid YAML (${problem.message.split('\n')[0]})`);
  if (documents.length === 0) throw new UsageError(`${source}: holds no YAML document; a row is one object`);
  if (documents.length > 1) {
    throw new UsageError(`${source}: holds ${documents.length} YAML documents; a row file holds one row`);
  }
  try {
    return documents[0]!.toJS();
  } catch (error) {
    throw new UsageError(`${source}: not usable YAML (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Read one chain row (plain or DynamoDB JSON, or YAML); anything but one object is a usage error. */
export async function readRowFile(path: string, readStdin?: ReadStdin): Promise<unknown> {
  const value = parseText(await readInputText(path, readStdin), path);
  if (Array.isArray(value)) {
    throw new UsageError(
      `${path}: holds a list of ${value.length} items; a row file holds one chain row (an object)`,
    );
  }
  if (typeof value !== 'object' || value === null) {
    throw new UsageError(
      `${path}: holds ${value === null ? 'null' : `a ${typeof value}`}, not a chain row (an object with name, hostedZoneId, tiers)`,
    );
  }
  return toPlainRow(value);
}

/** Row files named on the command line, a folder standing for its .json, .yaml and .yml files. */
export async function expandRowPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      files.push(path);
      continue;
    }
    let folder: boolean;
    try {
      folder = (await stat(path)).isDirectory();
    } catch (error) {
      throw new UsageError(`${path}: ${fileProblem(error)}`);
    }
    if (!folder) {
      files.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .filter((entry) => ROW_EXTENSIONS.has(extname(entry.name).toLowerCase()))
      .map((entry) => join(path, entry.name))
      .sort();
    if (entries.length === 0)
      throw new UsageError(`${path}: no .json, .yaml or .yml row files in this folder`);
    files.push(...entries);
  }
  return files;
}
