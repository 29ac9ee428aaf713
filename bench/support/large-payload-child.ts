// Consumes large payloads through S3 with SqsListener (default options plus `largePayloads`, one
// subscriber that checks each payload's size) while sampling its own memory every 10 ms, then sends
// the samples to the parent over IPC. Run by bench/large-payloads.bench.ts on plain node (compiled).
import { S3Client } from '@aws-sdk/client-s3';
import { silentLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { SqsListener } from '../../src/listener/listener.js';
import type { DataObject } from '../../src/protocol/types.js';
import { benchClient } from './queues.js';

export interface LargePayloadSample {
  processed: number;
  rss: number;
  heapUsed: number;
  /** Buffers and other memory outside the V8 heap. */
  external: number;
}

const [endpoint, queueUrl, count, bytes] = process.argv.slice(2).map((a, i) => (i < 2 ? a : Number(a))) as [string, string, number, number];
if (!endpoint || !queueUrl || !count || !bytes) throw new Error('usage: large-payload-child <endpoint> <queueUrl> <messages> <payloadBytes>');

const samples: LargePayloadSample[] = [];
let processed = 0;
const sample = (): void => {
  const m = process.memoryUsage();
  samples.push({ processed, rss: m.rss, heapUsed: m.heapUsed, external: m.external });
};

let finish!: () => void;
const done = new Promise<void>((resolve) => (finish = resolve));
class Blobs extends DataSubscriber {
  pattern = {};
  process(payload: DataObject): void {
    const filler = payload['filler'];
    if (typeof filler !== 'string' || filler.length < bytes) throw new Error(`payload ${String(payload['id'])} arrived short`);
    processed += 1;
    if (processed === count) finish();
  }
}

const s3Client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
const listener = new SqsListener({ queueUrl, client: benchClient(endpoint), logger: silentLogger, handleSignals: false, shutdownTimeoutMs: 300, largePayloads: { s3Client } });
listener.registerSubscriber(Blobs);
sample();
const sampler = setInterval(sample, 10);
const listening = listener.listen();
await done;
sample();
clearInterval(sampler);
await listener.stop();
await listening;
process.send?.({ samples }, () => process.disconnect());
