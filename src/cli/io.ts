import { readFile } from 'node:fs/promises';
import { CliFailure, UsageError } from './errors.js';

/** Where a command reads and writes; the real process streams in `main`, buffers in specs. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Reads all of stdin as UTF-8; refuses an interactive terminal, where the user would just see a hang. */
export async function readStdin(io: CliIO, what: string): Promise<string> {
  if (io.stdin.isTTY === true) {
    throw new UsageError(`no ${what} given: pass it as an argument, with --file, or pipe it on stdin`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a file (or stdin for `-`) as UTF-8, naming the file when it cannot be read. */
export async function readFileOrStdin(path: string, io: CliIO, what: string): Promise<string> {
  if (path === '-') return readStdin(io, what);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new CliFailure(`cannot read ${what} from ${path}: ${reason}`);
  }
}

/** Editors and shells add a final newline; a message body copied from a console never has one. */
export function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}
