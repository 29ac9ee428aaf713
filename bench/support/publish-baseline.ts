// What the publishing benchmarks compare publishBatch with: a hand-written SendMessageBatch loop
// (JSON.stringify, chunks of 10, a fixed number of requests in flight), and the MEGA fixture both send.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { decodeBody } from '../../src/codec/body.js';
import type { MegaPayload } from '../../src/protocol/types.js';
import { megaBody } from './bodies.js';

/** publishBatch's default `concurrency`; the hand-written loop keeps the same number of requests in flight. */
export const DEFAULT_CONCURRENCY = 4;

export async function handWrittenPublish(client: SQSClient, queueUrl: string, payloads: readonly MegaPayload[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < payloads.length) {
      const start = next;
      next = Math.min(payloads.length, start + 10);
      const entries = [];
      for (let i = start; i < next; i++) entries.push({ Id: String(i - start), MessageBody: JSON.stringify(payloads[i]) });
      const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (out.Failed?.length) throw new Error(`hand-written loop: ${out.Failed.length} entries failed`);
    }
  };
  await Promise.all(Array.from({ length: DEFAULT_CONCURRENCY }, worker));
}

/** `count` MEGA payloads, decoded from the benchmark's hand-written wire fixture. */
export function megaPayloads(count: number): MegaPayload[] {
  return Array.from({ length: count }, (_, i) => {
    const d = decodeBody(megaBody(i));
    if (d.kind !== 'mega') throw new Error('publish bench fixture is not MEGA');
    return d.payload;
  });
}
