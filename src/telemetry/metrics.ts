import type { Counter, Histogram, MeterProvider, UpDownCounter } from '@opentelemetry/api';
import type { Otel } from './api.js';
import { INSTRUMENTATION_NAME, METRIC } from './conventions.js';

export interface Instruments {
  sent: Counter;
  operationDuration: Histogram;
  processDuration: Histogram;
  messages: Counter;
  subscriberDuration: Histogram;
  queueTime: Histogram;
  inFlight: UpDownCounter;
  retries: Counter;
  deadLetters: Counter;
}

// The conventions' buckets for messaging durations, in seconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
// Time in queue runs from milliseconds to hours (retries, backlogs).
const QUEUE_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14_400, 43_200];

let cache: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments of the meter provider registered now. The metrics API has no proxy provider
 * (a meter taken before registration stays a no-op), so they are made again when it changes.
 */
export function instruments(api: Otel): Instruments {
  const provider = api.metrics.getMeterProvider();
  if (cache?.provider === provider) return cache.instruments;
  const meter = provider.getMeter(INSTRUMENTATION_NAME);
  const seconds = (name: string, description: string, buckets: number[]) =>
    meter.createHistogram(name, { description, unit: 's', advice: { explicitBucketBoundaries: buckets } });
  const messages = (name: string, description: string) => meter.createCounter(name, { description, unit: '{message}' });
  const made: Instruments = {
    sent: messages(METRIC.sent, 'Messages a publisher tried to send'),
    operationDuration: seconds(METRIC.operationDuration, 'Duration of a publish or publishBatch call', DURATION_BUCKETS),
    processDuration: seconds(METRIC.processDuration, 'Receive to verdict, per message', DURATION_BUCKETS),
    messages: messages(METRIC.messages, 'Messages processed, by decision and verdict'),
    subscriberDuration: seconds(METRIC.subscriberDuration, "One subscriber's run on one message", DURATION_BUCKETS),
    queueTime: seconds(METRIC.queueTime, 'Time from SentTimestamp to the start of processing', QUEUE_BUCKETS),
    inFlight: meter.createUpDownCounter(METRIC.inFlight, { description: 'Messages being processed', unit: '{message}' }),
    retries: messages(METRIC.retries, 'Messages left for a retry'),
    deadLetters: messages(METRIC.deadLetters, 'Messages failed for good'),
  };
  cache = { provider, instruments: made };
  return made;
}
