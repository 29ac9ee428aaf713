// Lambda handler CPU: createLambdaHandler with one EventSubscriber against Powertools' batch utility
// (BatchProcessor + processPartialResponse) whose record handler parses the body and checks the same
// fields by hand. Both get the same SQS events of MEGA JSON bodies, in the shape Lambda sends; every
// record succeeds, so neither makes an SQS call. CPU time per record, rounds interleaved, medians.
import { SQSClient } from '@aws-sdk/client-sqs';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { ListenerLogger } from '../src/aws/logger.js';
import { megaBody } from './support/bodies.js';
import { compiledSource } from './support/children.js';
import { type BenchOptions, type BenchResult, type TargetRow, consume, interleave, isMain, parseOptions, printResult, targetRow } from './harness.js';

const TARGET = 1.1;
const ARN = 'arn:aws:sqs:us-east-1:123456789012:orders';

/** An SQS event of `size` records as Lambda delivers them. */
function sqsEvent(size: number, offset: number): SQSEvent {
  const records: SQSRecord[] = [];
  for (let i = 0; i < size; i++) {
    const n = offset + i;
    records.push({
      messageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      receiptHandle: `AQEB${'r'.repeat(150)}${n}`,
      body: megaBody(n),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1767225600000',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1767225600010',
      },
      messageAttributes: { tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'us-east-1',
    });
  }
  return { Records: records };
}

const quiet: ListenerLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let processed = 0;

/** The handler of the compiled package (as a deployed function runs it; Powertools is plain JavaScript too). */
async function compiledHandler(): Promise<(event: SQSEvent) => Promise<unknown>> {
  const { createLambdaHandler } = (await import(compiledSource('lambda.js'))) as typeof import('../src/lambda.js');
  const { EventSubscriber, gt } = (await import(compiledSource('index.js'))) as typeof import('../src/index.js');
  class OrderPlaced extends EventSubscriber {
    domain = 'shop';
    name = 'order.placed';
    attributes = { total: gt(0) };
    process(): void {
      processed += 1;
    }
  }
  const handler = createLambdaHandler({ subscribers: [OrderPlaced], logger: quiet, client: new SQSClient({ region: 'us-east-1' }) });
  // With Lambda's context, as every invocation has it (its deadline is what the records race).
  return (event) => handler(event, context);
}

/** What a hand-written Powertools record handler checks to do the same: MEGA, the event, the field. */
function powertoolsRecordHandler(record: SQSRecord): void {
  const payload = JSON.parse(record.body) as { protocol?: unknown; version?: unknown; event?: { name?: unknown; domain?: unknown; timestamp?: unknown; attributes?: { total?: unknown } } };
  const event = payload.event;
  if (payload.protocol !== 'mega' || payload.version !== 1 || typeof event !== 'object' || event === null) throw new Error('not a MEGA payload');
  if (typeof event.timestamp !== 'string' || Number.isNaN(new Date(event.timestamp).getTime())) throw new Error('bad timestamp');
  if (event.name !== 'order.placed' || event.domain !== 'shop') return;
  const total = event.attributes?.total;
  if (typeof total === 'number' && total > 0) processed += 1;
}

const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'bench' };

/** CPU nanoseconds per record over `invocations` sequential invocations of `invoke` on `events` (in turn). */
async function cpuPerRecord(invoke: (event: SQSEvent) => Promise<unknown>, events: SQSEvent[], invocations: number): Promise<number> {
  let records = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < invocations; i++) {
    const event = events[i % events.length] as SQSEvent;
    consume(await invoke(event));
    records += event.Records.length;
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / records;
}

export async function runLambdaBench({ quick }: BenchOptions): Promise<BenchResult> {
  const rounds = quick ? 5 : 15;
  const recordsPerRound = quick ? 4_000 : 20_000;
  const ours = await compiledHandler();
  const processor = new BatchProcessor(EventType.SQS);
  const powertools = (event: SQSEvent) => processPartialResponse(event, powertoolsRecordHandler, processor, { context: context as never });

  const rows: (string | number)[][] = [];
  const targets: TargetRow[] = [];
  for (const size of [10, 100]) {
    // A few distinct events, so that neither side sees the very same strings every time.
    const events = Array.from({ length: 8 }, (_, k) => sqsEvent(size, k * size));
    const invocations = Math.max(1, Math.round(recordsPerRound / size));
    for (const [name, run] of [['ours', ours], ['powertools', powertools]] as const) {
      processed = 0;
      const response = (await run(events[0] as SQSEvent)) as { batchItemFailures?: unknown[] } | undefined;
      if ((response?.batchItemFailures ?? []).length !== 0 || processed !== size) throw new Error(`lambda bench: ${name} did not process every record (${processed} of ${size})`);
    }
    const r = await interleave(
      [
        { name: 'ours', round: () => cpuPerRecord(ours, events, invocations) },
        { name: 'powertools', round: () => cpuPerRecord(powertools, events, invocations) },
      ],
      { warmup: 3, rounds },
    );
    const o = r['ours']!;
    const p = r['powertools']!;
    rows.push([`batch of ${size}`, o.median / 1000, p.median / 1000, o.median / p.median, `${(o.min / 1000).toPrecision(3)}-${(o.max / 1000).toPrecision(3)}`]);
    targets.push(
      targetRow({
        name: `lambda: CPU per record, batch of ${size}, createLambdaHandler vs Powertools BatchProcessor`,
        value: o.median / 1000, baseline: p.median / 1000, min: o.min / 1000, max: o.max / 1000,
        goal: 'ratio<=', target: TARGET, unit: 'µs/record',
      }),
    );
  }
  return {
    title: `Lambda handler CPU per record (${rounds} rounds, medians; ratio = ours / Powertools, lower is better)`,
    table: { head: ['event', 'createLambdaHandler µs/record', 'Powertools µs/record', 'ratio', 'ours min-max µs'], rows },
    targets,
    notes: [
      'Same SQS events (MEGA JSON bodies of about 600 bytes, one message attribute) for both; every record succeeds, so no SQS request is made.',
      'createLambdaHandler decodes (SNS envelope, BSON and MEGA validation included), matches one EventSubscriber (domain, name, attributes.total > 0), runs it against the batch deadline, hooks and logs (to a no-op logger); ours is the compiled package (as deployed), loaded from dist/bench-children/; Powertools BatchProcessor runs a record handler doing JSON.parse and the same field checks by hand.',
    ],
  };
}

if (isMain(import.meta.url)) {
  printResult(await runLambdaBench(parseOptions()));
}
