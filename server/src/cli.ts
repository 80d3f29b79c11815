// `exim-cyrus` command line: a thin shell over the core. Each subcommand lives in cli/.
import { isUsageError, UsageError } from './cli/args';
import { VERSION } from './version';
import { distanceWithin } from './core/edit-distance';

const USAGE = `usage: exim-cyrus <command> [options]

commands:
  check     check exim.conf / conf.d, cyrus.conf and imapd.conf, and how they line up
  callout   ask Cyrus's LMTP server (or smmapd) whether it would accept recipients

Run "exim-cyrus <command> --help" for a command's options, "exim-cyrus --version" for the version.`;

const COMMANDS = ['check', 'callout'];

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  // Loaded on demand, and in the build each its own bundle (dist/cli-check.js,
  // dist/cli-callout.js): a callout then never reads the checker's code or initialises its
  // catalogs, which is most of the start-up time of a one-shot command.
  if (cmd === 'check') return (require('./cli/check') as typeof import('./cli/check')).runCheck(rest);
  if (cmd === 'callout') return (require('./cli/callout') as typeof import('./cli/callout')).runCallout(rest);
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    process.stdout.write(`exim-cyrus ${VERSION}\n`);
    return 0;
  }
  // A slip of one or two letters ("chek", "calout") names the command meant.
  const meant = COMMANDS.find((c) => distanceWithin(cmd.toLowerCase(), c, 2) <= 2);
  throw new UsageError(`unknown command "${cmd}"${meant ? `; did you mean "${meant}"?` : ''}`);
}

// A reader that stops early (`exim-cyrus check ... | head`) closes the pipe: what is left to
// say goes nowhere, and the command still finishes its work (--fix writes every file) and
// exits with its own status, instead of dying on the write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

const argv = process.argv.slice(2);
/** The subcommand a usage error belongs to: its own --help says what it takes, the general usage does not. */
const command = argv[0] === 'check' || argv[0] === 'callout' ? argv[0] : undefined;

main(argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    if (isUsageError(err)) {
      process.stderr.write(command
        ? `exim-cyrus ${command}: ${err.message}\nRun "exim-cyrus ${command} --help" for its options.\n`
        : `exim-cyrus: ${err.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`exim-cyrus: internal error: ${err?.stack ?? err}\nPlease report this with the input that caused it.\n`);
      process.exitCode = 2;
    }
  },
);
