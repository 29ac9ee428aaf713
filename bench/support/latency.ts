// Simulated network distance: delays every request of an SQS client by a fixed time, so that the
// loopback benchmarks can show how throughput depends on round trips (real SQS answers in 10-30 ms).
import { SQSClient } from '@aws-sdk/client-sqs';

export function clientWithLatency(endpoint: string, latencyMs: number): SQSClient {
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchSimulatedLatency' },
  );
  return client;
}
