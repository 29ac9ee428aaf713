// The `sqs-mega` command line: each command lives in ./commands/ and is looked up by name here.
// `main.ts` is the executable; this module is what specs run in-process.
import type { Command } from './command.js';
import { helpText, parseCommandArgs } from './command.js';
import { consumeCommand } from './commands/consume.js';
import { peekCommand } from './commands/peek.js';
import { decodeCommand } from './commands/decode.js';
import { demoCommand } from './commands/demo.js';
import { filterPolicyCommand } from './commands/filter-policy.js';
import { listenCommand } from './commands/listen.js';
import { matchCommand } from './commands/match.js';
import { publishCommand } from './commands/publish.js';
import { CliFailure, UsageError } from './errors.js';
import type { CliIO } from './io.js';

export const COMMANDS: readonly Command[] = [publishCommand, consumeCommand, peekCommand, decodeCommand, matchCommand, filterPolicyCommand, listenCommand, demoCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: sqs-mega <command> [options]',
    '',
    'Publish, inspect and consume MEGA events and data on Amazon SQS and SNS.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `sqs-mega <command> --help` for a command\'s options.',
    'Endpoint, region and credentials come from the usual AWS environment variables',
    '(AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, ...) and --endpoint / --region.',
    '',
  ].join('\n');
}

/** Runs one command line and returns the exit code; errors are printed, never thrown. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(topic === undefined ? mainHelp() : helpText(topic));
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(`sqs-mega: unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  try {
    const parsed = parseCommandArgs(command, rest);
    if (parsed.values.help === true) {
      io.stdout.write(helpText(command));
      return 0;
    }
    return await command.run(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`sqs-mega ${command.name}: ${error.message}\nRun \`sqs-mega ${command.name} --help\` for usage.\n`);
      return 2;
    }
    const message = error instanceof CliFailure ? error.message : `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
    io.stderr.write(`sqs-mega ${command.name}: ${message}\n`);
    return 1;
  }
}
