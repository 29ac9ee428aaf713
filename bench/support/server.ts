// The benchmarks' SQS server: fauxqs in a child process (own CPU and heap), started by the test
// harness's startServerProcess so that benches and integration specs run the same server.
import { startServerProcess } from '../../spec/support/fauxqs.js';

export interface ServerProcess {
  endpoint: string;
  /** The server's process id (its CPU time shows whether the server was the bottleneck). */
  pid: number;
  stop(): Promise<void>;
}

export function startBenchServer(): Promise<ServerProcess> {
  return startServerProcess();
}
