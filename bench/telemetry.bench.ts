// Telemetry cost: processor CPU per message through createLambdaHandler (the listener's per-message
// path too) with @opentelemetry/api as if absent (no tracing work at all), installed with no SDK
// registered (target: <= 1.02x), and with the SDK registered and a no-op exporter (reported).
// Same events, rounds interleaved, medians.
import * as api from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { silentLogger } from '../src/aws/logger.js';
import { EventSubscriber } from '../src/dispatch/event-subscriber.js';
import { createLambdaHandler } from '../src/lambda.js';
import { useOtel } from '../src/telemetry/api.js';
import { megaBody } from './support/bodies.js';
import { type BenchOptions, type BenchResult, consume, interleave, isMain, parseOptions, printResult, targetRow } from './harness.js';

const TARGET = 1.02;
const ARN = 'arn:aws:sqs:us-east-1:123456789012:orders';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function sqsEvent(size: number, offset: number): SQSEvent {
  const records: SQSRecord[] = [];
  for (let i = 0; i < size; i++) {
    const n = offset + i;
    records.push({
      messageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      receiptHandle: `AQEB${'r'.repeat(150)}${n}`,
      body: megaBody(n),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1767225600000', SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: '1767225600010' },
      messageAttributes: { traceparent: { stringValue: TRACEPARENT, stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'us-east-1',
    });
  }
  return { Records: records };
}

class OrderPlaced extends EventSubscriber {
  domain = 'shop';
  name = 'order.placed';
  process(): void {}
}

const noopExporter: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() };
class NoopReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(noopExporter)] });
const meterProvider = new MeterProvider({ readers: [new NoopReader()] });
const propagator = new W3CTraceContextPropagator();

/** absent: the API as if not installed; no-sdk: installed, nothing registered; sdk: SDK with a no-op exporter. */
function setup(mode: 'absent' | 'no-sdk' | 'sdk'): void {
  api.trace.disable();
  api.metrics.disable();
  api.propagation.disable();
  useOtel(mode === 'absent' ? null : api);
  if (mode !== 'sdk') return;
  api.trace.setGlobalTracerProvider(tracerProvider);
  api.metrics.setGlobalMeterProvider(meterProvider);
  api.propagation.setGlobalPropagator(propagator);
}

export async function runTelemetryBench({ quick }: BenchOptions): Promise<BenchResult> {
  const rounds = quick ? 5 : 15;
  const recordsPerRound = quick ? 4_000 : 20_000;
  const handler = createLambdaHandler({ subscribers: [OrderPlaced], logger: silentLogger, client: new SQSClient({ region: 'us-east-1' }) });
  const events = Array.from({ length: 8 }, (_, k) => sqsEvent(10, k * 10));
  const round = (mode: 'absent' | 'no-sdk' | 'sdk') => async () => {
    setup(mode);
    let records = 0;
    const start = process.cpuUsage();
    for (let i = 0; records < recordsPerRound; i++) {
      const event = events[i % events.length] as SQSEvent;
      consume(await handler(event));
      records += event.Records.length;
    }
    const used = process.cpuUsage(start);
    return ((used.user + used.system) * 1000) / records;
  };
  const r = await interleave(
    [
      { name: 'absent', round: round('absent') },
      { name: 'no-sdk', round: round('no-sdk') },
      ...(process.env.NO_SDK_ROUND ? [] : [{ name: 'sdk', round: round('sdk') }]),
    ],
    { warmup: 3, rounds },
  );
  setup('no-sdk');
  const absent = r['absent']!;
  const noSdk = r['no-sdk']!;
  const sdk = r['sdk'] ?? absent;
  const us = (ns: number) => ns / 1000;
  return {
    title: `Telemetry: processor CPU per message through createLambdaHandler (${rounds} rounds, medians)`,
    table: {
      head: ['@opentelemetry/api', 'µs/message', 'ratio to absent', 'min-max µs'],
      rows: [absent, noSdk, sdk].map((s, i) => [['absent', 'installed, no SDK registered', 'SDK, no-op exporter'][i]!, us(s.median), s.median / absent.median, `${us(s.min).toPrecision(3)}-${us(s.max).toPrecision(3)}`]),
    },
    targets: [
      targetRow({
        name: 'telemetry: CPU per message, @opentelemetry/api installed with no SDK vs absent',
        value: us(noSdk.median), baseline: us(absent.median), min: us(noSdk.min), max: us(noSdk.max),
        goal: 'ratio<=', target: TARGET, unit: 'µs/message',
      }),
    ],
    notes: [
      'Batches of 10 SQS records (MEGA JSON bodies, a traceparent attribute) through one EventSubscriber; every record succeeds, so no SQS request is made.',
      '"absent" takes the path a user without @opentelemetry/api takes (one shared no-op per message); "SDK" is BasicTracerProvider with a SimpleSpanProcessor and a no-op exporter, a MeterProvider with a reader never collected, and the W3C propagator.',
    ],
  };
}

if (isMain(import.meta.url)) {
  printResult(await runTelemetryBench(parseOptions()));
}
