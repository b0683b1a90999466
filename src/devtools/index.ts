import { UsageError } from './client-options.js';
import { type CommandIo, processIo } from './io.js';
import { LISTEN_USAGE, listenCommand } from './listen.js';
import { LOGS_USAGE, logsCommand } from './logs-tail.js';
import { TRIGGER_USAGE, triggerCommand } from './trigger.js';

interface DeveloperCommand {
  usage: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

/** Commands that talk to a running API over HTTP: they need no gateway configuration, only its URL. */
export const DEVELOPER_COMMANDS: Record<string, DeveloperCommand> = {
  listen: { usage: LISTEN_USAGE, run: listenCommand },
  trigger: { usage: TRIGGER_USAGE, run: triggerCommand },
  logs: { usage: LOGS_USAGE, run: logsCommand },
};

export async function runDeveloperCommand(name: string, args: string[]): Promise<void> {
  const command = DEVELOPER_COMMANDS[name];
  if (!command) throw new Error(`unknown command ${name}`);
  const io = processIo();
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return;
  }
  try {
    process.exitCode = await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`gateway ${name}: ${err.message}\n\n${command.usage}`);
      process.exitCode = 2;
      return;
    }
    io.err(`gateway ${name}: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
