// The headless `ferry` command: receive, send, peers, devices, trust, untrust.
import { toErrorInfo } from '../shared/errors';
import { UsageError } from './args';
import { devices, trust, untrust } from './commands/devices';
import { peers } from './commands/peers';
import { receive } from './commands/receive';
import { send } from './commands/send';
import { HELP } from './help';
import { flushOutputs, oneLine } from './output';
import pkg from '../../package.json';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = { receive, send, peers, devices, trust, untrust };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`ferry ${pkg.version}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP.main + '\n');
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(command.startsWith('-') ? `Unknown option '${command}' before the command` : `Unknown command '${command}'`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(HELP[command] + '\n');
      return 0;
    }
    return await run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      const hint = err.command ? `ferry ${err.command} --help` : 'ferry --help';
      process.stderr.write(`ferry: ${oneLine(err.message)} (see '${hint}')\n`);
      return 2;
    }
    const info = toErrorInfo(err);
    process.stderr.write(`ferry: ${info.code}: ${oneLine(info.message)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    flushOutputs();
    process.exit(code);
  },
  (err) => {
    flushOutputs();
    process.stderr.write(`ferry: E_INTERNAL: ${String(err)}\n`);
    process.exit(1);
  },
);
