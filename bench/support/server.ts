// Starts fauxqs in a child process on 127.0.0.1 (own CPU, own heap) for the benchmarks.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  endpoint: string;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./fauxqs-child.ts', import.meta.url));

export async function startBenchServer(): Promise<ServerProcess> {
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { address: string }).address));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fauxqs child exited early with code ${String(code)}`)));
  });
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
