import { Command, CommanderError, InvalidArgumentError } from 'commander';

/** What `npm start -- ...` was asked to do. */
export interface StartOptions {
  interactive: boolean;
  dnsPort: number;
  tierPort: number;
  /** Undefined: a free port (rehearsal) or 8000 (interactive). */
  dynamodbPort?: number;
  checkIntervalMs: number;
}

/** The outcome of reading the command line: options, or an exit code after help or a usage error was printed. */
export type ParsedStart = { options: StartOptions } | { exitCode: number };

const port = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65_535)
    throw new InvalidArgumentError('must be a port number from 1 to 65535.');
  return n;
};

const interval = (value: string): number => {
  const n = Number(value);
  // Below 100 ms the checker would spin probing servers; above a minute nothing seems to happen.
  if (!/^\d+$/.test(value) || n < 100 || n > 60_000)
    throw new InvalidArgumentError('must be a whole number of milliseconds from 100 to 60000.');
  return n;
};

/** Read `npm start` options; help exits 0, a usage error exits 2 with one line on stderr. */
export function parseStartOptions(
  argv: readonly string[],
  write: { out: (text: string) => void; err: (text: string) => void },
): ParsedStart {
  const program = new Command('npm start --')
    .description(
      'rehearse failover-chains offline: DynamoDB Local, local Route 53 / CloudWatch / SNS, three servers, DNS',
    )
    .option('--interactive', 'stay up: stop and start servers, query DNS, edit chain rows')
    .option('--dns-port <port>', 'UDP and TCP port of the DNS responder on 127.0.0.1', port, 5353)
    .option('--tier-port <port>', 'port of servers #1-#3 on 127.0.0.1-3', port, 8888)
    .option(
      '--dynamodb-port <port>',
      'port of DynamoDB Local (default: 8000 with --interactive, else a free one)',
      port,
    )
    .option('--check-interval <ms>', 'local health checker interval in ms (100-60000)', interval, 1000)
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      return {
        exitCode: error.code === 'commander.helpDisplayed' || error.code === 'commander.help' ? 0 : 2,
      };
    throw error;
  }
  const opts = program.opts<{
    interactive?: boolean;
    dnsPort: number;
    tierPort: number;
    dynamodbPort?: number;
    checkInterval: number;
  }>();
  return {
    options: {
      interactive: opts.interactive ?? false,
      dnsPort: opts.dnsPort,
      tierPort: opts.tierPort,
      ...(opts.dynamodbPort !== undefined
        ? { dynamodbPort: opts.dynamodbPort }
        : opts.interactive
          ? { dynamodbPort: 8000 }
          : {}),
      checkIntervalMs: opts.checkInterval,
    },
  };
}
