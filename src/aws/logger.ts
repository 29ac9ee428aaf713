/** What the listener logs through: `console` fits, and so do pino-style or custom loggers. */
export type ListenerLogger = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

/** A log line's level, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  /** Lowest level written (default 'info'). */
  level?: LogLevel;
  /** Where lines go (default process.stderr). */
  write?: (line: string) => void;
}

/**
 * A logger that writes one JSON object per line: `{"time","level","msg",...fields}`. Errors in fields
 * become `{ name, message }` (no stacks of message data); values that cannot be serialised are dropped.
 */
export function jsonLogger(options: JsonLoggerOptions = {}): ListenerLogger {
  const threshold = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const make =
    (level: LogLevel) =>
    (msg?: unknown, ...rest: unknown[]): void => {
      if (LEVELS[level] < threshold) return;
      const fields = rest.length === 1 && isPlainObject(rest[0]) ? rest[0] : rest.length > 0 ? { args: rest } : {};
      const record = { time: new Date().toISOString(), level, msg: String(msg), ...fields };
      let line: string;
      try {
        line = JSON.stringify(record, replaceErrors);
      } catch {
        line = JSON.stringify({ time: record.time, level, msg: record.msg });
      }
      write(line + '\n');
    };
  const logger = { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
  return logger as ListenerLogger;
}

/** Wraps a user's logger so that a logger that throws can never break the listener's loops. */
export function safeLogger(logger: ListenerLogger): ListenerLogger {
  const guard =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      try {
        logger[method](...args);
      } catch {
        // nowhere left to report it
      }
    };
  return { debug: guard('debug'), info: guard('info'), warn: guard('warn'), error: guard('error') };
}

/** A logger that drops everything. */
export const silentLogger: ListenerLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Cuts text to `max` characters for log lines and message attributes, saying how much was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/** A short, safe description of an error for logs: name and message, never the whole object. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: truncate(error.message, 1000) };
  return { name: 'NonError', message: truncate(String(error), 1000) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

function replaceErrors(_key: string, value: unknown): unknown {
  if (value instanceof Error) return describeError(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}
