import type { Attributes, Context, Span } from '@opentelemetry/api';
import { attributeBytes, type AttributeValue } from '../aws/attribute-size.js';
import { MAX_MESSAGE_ATTRIBUTES } from '../aws/limits.js';
import { jsonLogger, type ListenerLogger } from '../aws/logger.js';
import { loadOtel, otel, sdkRegistered, type Otel } from './api.js';
import { injectFields, xrayHeader } from './carrier.js';
import { ATTR, destinationAttributes, OPERATION, spanName } from './conventions.js';
import { instruments } from './metrics.js';

/** The part of a prepared message the trace context goes into (changed in place). */
export interface Carrier {
  attributes: Record<string, AttributeValue> | undefined;
  bytes: number;
  /** Set when the context went into SQS's `AWSTraceHeader` system attribute instead. */
  traceHeader?: string;
}

export interface CarrierLimits {
  /** The service's largest message, body and attributes. */
  maxBytes: number;
  /** SQS takes an `AWSTraceHeader` system attribute outside the 10; SNS has no such thing. */
  xray: boolean;
}

/** Where publishers say (once per process and reason) that the trace context did not fit. */
export const telemetryLog: { logger: ListenerLogger; readonly told: Set<string> } = { logger: jsonLogger(), told: new Set() };

function tellOnce(reason: string, text: string): void {
  if (telemetryLog.told.has(reason)) return;
  telemetryLog.told.add(reason);
  telemetryLog.logger.warn(text, { reason });
}

/**
 * Writes the context's propagation fields (W3C `traceparent` first) into the message attributes
 * the 10-attribute limit and the size limit leave room for. No room at all: SQS's `AWSTraceHeader`
 * (X-Ray format, outside the 10), else nothing. The message and the caller's attributes are never
 * touched for it. Returns how the context travels.
 */
export function inject(api: Otel, context: Context, span: Span, message: Carrier, limits: CarrierLimits): 'attributes' | 'partial' | 'xray' | 'none' {
  const fields = injectFields(api, context);
  if (fields.length === 0) return 'none';
  const attributes = message.attributes ?? {};
  let free = MAX_MESSAGE_ATTRIBUTES - Object.keys(attributes).length;
  let added = 0;
  for (const [name, value] of fields) {
    // A caller's own attribute of that name wins.
    if (name in attributes || free === 0) continue;
    const attribute: AttributeValue = { DataType: 'String', StringValue: value };
    const bytes = attributeBytes(name, attribute);
    if (message.bytes + bytes > limits.maxBytes) continue;
    attributes[name] = attribute;
    message.bytes += bytes;
    free -= 1;
    added += 1;
  }
  if (added > 0) message.attributes = attributes;
  if (added === fields.length) return 'attributes';
  if (added > 0) {
    tellOnce('partial', 'not every trace propagation field fits in the 10 message attributes; sending traceparent alone (tracestate/baggage left out)');
    return 'partial';
  }
  if (limits.xray) {
    message.traceHeader = xrayHeader(span.spanContext());
    tellOnce('xray', 'no room for traceparent in the 10 message attributes; the trace context travels in the AWSTraceHeader system attribute (consumers link to it)');
    return 'xray';
  }
  tellOnce('none', 'no room for traceparent in the 10 message attributes and SNS has no other carrier; this message is sent without trace context (the message and its attributes are untouched)');
  return 'none';
}

function errorType(error: unknown): string {
  const name = (error as { code?: unknown; name?: unknown } | null)?.code ?? (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
}

function failed(api: Otel, span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.setAttribute(ATTR.errorType, errorType(error));
}

/**
 * One publish: a PRODUCER `send <destination>` span around the request, its context injected into
 * the message, and the publish outcome counted. Without `@opentelemetry/api`, or with no SDK
 * registered, it only sends.
 */
export async function traceSend<T extends { messageId: string }>(target: string, message: Carrier, limits: CarrierLimits, send: () => Promise<T>): Promise<T> {
  const known = otel();
  const api = known !== undefined ? known : await loadOtel();
  if (api === null || !sdkRegistered()) return send();
  const base = destinationAttributes(target);
  const span = api.trace.getTracer('sqs-mega').startSpan(spanName(OPERATION.send, base[ATTR.destination] ?? ''), {
    kind: api.SpanKind.PRODUCER,
    attributes: { ...base, [ATTR.operationType]: OPERATION.send, [ATTR.operationName]: OPERATION.send },
  });
  const context = api.trace.setSpan(api.context.active(), span);
  const how = inject(api, context, span, message, limits);
  if (span.isRecording()) span.setAttribute(ATTR.propagation, how);
  const metrics = instruments(api);
  const started = performance.now();
  let outcome: Attributes = base;
  try {
    const result = await api.context.with(context, send);
    span.setAttribute(ATTR.messageId, result.messageId);
    return result;
  } catch (error) {
    failed(api, span, error);
    outcome = { ...base, [ATTR.errorType]: errorType(error) };
    throw error;
  } finally {
    metrics.sent.add(1, outcome);
    metrics.operationDuration.record((performance.now() - started) / 1000, { ...outcome, [ATTR.operationName]: OPERATION.send });
    span.end();
  }
}

type BatchEntry = { index: number; ok: true; messageId: string } | { index: number; ok: false; error: Error };

/** A batch publish's spans: `send <destination>` for the call, a `create` child per message. */
export interface BatchTrace {
  /** Wraps the message source: each message gets its span and its context as it is prepared. */
  messages<M extends Carrier & { index: number }>(next: () => M | undefined): () => M | undefined;
  within<T>(work: () => Promise<T>): Promise<T>;
  /** Ends every span with its entry's outcome and counts them. */
  end(results: readonly (BatchEntry | undefined)[]): void;
}

const NO_BATCH: BatchTrace = { messages: (next) => next, within: (work) => work(), end() {} };

export async function traceBatch(target: string, count: number, limits: CarrierLimits): Promise<BatchTrace> {
  const known = otel();
  const api = known !== undefined ? known : await loadOtel();
  if (api === null || !sdkRegistered()) return NO_BATCH;
  const base = destinationAttributes(target);
  const tracer = api.trace.getTracer('sqs-mega');
  const destination = base[ATTR.destination] ?? '';
  const batch = tracer.startSpan(spanName(OPERATION.send, destination), {
    kind: api.SpanKind.PRODUCER,
    attributes: { ...base, [ATTR.operationType]: OPERATION.send, [ATTR.operationName]: OPERATION.send, [ATTR.batchCount]: count },
  });
  const batchContext = api.trace.setSpan(api.context.active(), batch);
  const spans = new Map<number, Span>();
  const started = performance.now();
  return {
    messages: (next) => () => {
      const message = next();
      if (message === undefined) return undefined;
      const span = tracer.startSpan(spanName(OPERATION.create, destination), { kind: api.SpanKind.PRODUCER, attributes: { ...base, [ATTR.operationType]: OPERATION.create, [ATTR.operationName]: OPERATION.create } }, batchContext);
      const how = inject(api, api.trace.setSpan(batchContext, span), span, message, limits);
      if (span.isRecording()) span.setAttribute(ATTR.propagation, how);
      spans.set(message.index, span);
      return message;
    },
    within: (work) => api.context.with(batchContext, work),
    end(results) {
      const metrics = instruments(api);
      let failures = 0;
      for (let index = 0; index < results.length; index++) {
        const entry = results[index];
        const span = spans.get(index);
        if (entry?.ok === true) {
          span?.setAttribute(ATTR.messageId, entry.messageId);
          metrics.sent.add(1, base);
        } else {
          failures += 1;
          const error = entry?.error ?? new Error('entry was never sent');
          if (span) failed(api, span, error);
          metrics.sent.add(1, { ...base, [ATTR.errorType]: errorType(error) });
        }
        span?.end();
      }
      if (failures > 0) batch.setStatus({ code: api.SpanStatusCode.ERROR, message: `${failures} of ${results.length} messages failed` });
      metrics.operationDuration.record((performance.now() - started) / 1000, { ...base, [ATTR.operationName]: OPERATION.send });
      batch.end();
    },
  };
}
