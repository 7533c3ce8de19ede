import { describe, expect, it } from 'vitest';
import { parseStartOptions } from '../../local/start-options.ts';

const parse = (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const result = parseStartOptions(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { result, out: out.join(''), err: err.join('') };
};

describe('npm start options', () => {
  it('defaults: DNS 5353, servers 8888, a free DynamoDB port, 1 s checks; 8000 with --interactive', () => {
    expect(parse().result).toEqual({
      options: { interactive: false, dnsPort: 5353, tierPort: 8888, checkIntervalMs: 1000 },
    });
    expect(parse('--interactive').result).toMatchObject({
      options: { interactive: true, dynamodbPort: 8000 },
    });
    expect(parse('--dns-port', '5354', '--check-interval', '250').result).toMatchObject({
      options: { dnsPort: 5354, checkIntervalMs: 250 },
    });
  });

  it.each([
    ['--dns-port', 'abc'],
    ['--dns-port', '0'],
    ['--tier-port', '65536'],
    ['--tier-port', '88.5'],
    ['--dynamodb-port', ''],
    ['--check-interval', '0'],
    ['--check-interval', '10'],
    ['--check-interval', '1e3'],
  ])('refuses %s %j: one line, exit 2', (option, value) => {
    const { result, err, out } = parse(option, value);
    expect(result).toEqual({ exitCode: 2 });
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(
      new RegExp(`^error: option '${option} <(port|ms)>' argument '${value}' is invalid\\.`),
    );
    expect(out).toBe('');
  });

  it('refuses an unknown option or argument with exit 2, and prints help with exit 0', () => {
    expect(parse('--bogus')).toMatchObject({
      result: { exitCode: 2 },
      err: "error: unknown option '--bogus'\n",
    });
    expect(parse('extra').result).toEqual({ exitCode: 2 });
    const help = parse('--help');
    expect(help.result).toEqual({ exitCode: 0 });
    expect(help.out).toContain('--dns-port <port>');
  });
});
