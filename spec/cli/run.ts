// Runs the CLI in-process (fast, captured streams) or as a child process (the real executable).
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/cli.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = 'src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment with no AWS settings at all, plus what the test adds. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return { ...env, ...extra };
}

export async function runInProcess(argv: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]) as Readable & { isTTY?: boolean };
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin,
    env: opts.env ?? cleanEnv(),
  });
  return { code, stdout, stderr };
}

export interface ChildRun extends Promise<CliRun> {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with stdout+stderr so far once `text` appears in either. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
}

/** Runs `node --import tsx src/cli/main.ts ...argv` from the project root. */
export function runChild(argv: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string; timeoutMs?: number; nodeArgs?: string[] } = {}): ChildRun {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', MAIN, ...argv], {
    cwd: PROJECT_ROOT,
    env: opts.env ?? cleanEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of watchers) w();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of watchers) w();
  });
  child.stdin.end(opts.stdin ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  const done = new Promise<CliRun>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr });
    });
  }) as ChildRun;
  done.pid = child.pid ?? -1;
  done.kill = (signal) => void child.kill(signal);
  done.waitFor = (text, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const all = stdout + stderr;
        if (typeof text === 'string' ? all.includes(text) : text.test(all)) {
          clearTimeout(timer);
          resolve(all);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}; output so far:\n${stdout}\n${stderr}`)), timeoutMs);
      if (!check()) watchers.push(() => void check());
    });
  return done;
}
