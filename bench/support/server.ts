// The benchmarks' SQS server: fauxqs in a child process (own CPU and heap), started by the test
// harness's startServerProcess so that benches and integration specs run the same server.
import { startServerProcess } from '../../spec/support/fauxqs.js';

export interface ServerProcess {
  endpoint: string;
  stop(): Promise<void>;
}

export function startBenchServer(): Promise<ServerProcess> {
  return startServerProcess();
}
