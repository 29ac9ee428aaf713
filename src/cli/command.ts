import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import type { CliIO } from './io.js';

/** One option of a command: parseArgs' shape plus what `--help` shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown after the flag in help, e.g. `URL`. */
  value?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** `sqs-mega <name> ...` synopsis lines, without the program name. */
  usage: string[];
  /** Paragraphs after the synopsis. */
  description?: string;
  options: OptionSpecs;
  examples?: string[];
  /** Returns the exit code. */
  run(parsed: ParsedArgs, io: CliIO): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

/** Parses argv against the command's options; any parse error becomes a UsageError naming the flag. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short === undefined ? {} : { short: spec.short }), ...(spec.multiple === true ? { multiple: true } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    // parseArgs' messages already name the option; drop its advice about `--` which rarely applies here.
    const message = (error as Error).message.split('. To specify a positional')[0] ?? String(error);
    throw new UsageError(message);
  }
}

export function helpText(command: Command): string {
  const lines = [`Usage:`, ...command.usage.map((u) => `  sqs-mega ${command.name} ${u}`.trimEnd()), '', command.summary];
  if (command.description !== undefined) lines.push('', command.description.trim());
  lines.push('', 'Options:', ...formatOptions({ ...command.options, help: HELP_OPTION }));
  if (command.examples !== undefined && command.examples.length > 0) {
    lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  }
  return lines.join('\n') + '\n';
}

function formatOptions(options: OptionSpecs): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`;
    return [flag, spec.description + (spec.multiple === true ? ' (repeatable)' : '')] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}${description}`);
}

// Typed accessors: parseArgs already checked the types, these only narrow them.
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  return Array.isArray(value) ? value : [];
}

/** An integer option within bounds, or its default; a bad value is a UsageError naming the flag. */
export function intOption(args: ParsedArgs, name: string, bounds: { min: number; max: number; default: number }): number;
export function intOption(args: ParsedArgs, name: string, bounds: { min: number; max: number }): number | undefined;
export function intOption(args: ParsedArgs, name: string, bounds: { min: number; max: number; default?: number }): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return bounds.default;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) {
    throw new UsageError(`--${name} must be an integer from ${bounds.min} to ${bounds.max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Checks the number of positional arguments, naming what is missing or extra. */
export function positionals(args: ParsedArgs, names: string[], optional = 0): string[] {
  const required = names.length - optional;
  if (args.positionals.length < required) {
    throw new UsageError(`missing ${names.slice(args.positionals.length, required).map((n) => `<${n}>`).join(' ')}`);
  }
  if (args.positionals.length > names.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[names.length])}`);
  }
  return args.positionals;
}
