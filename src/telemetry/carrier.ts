import type { Context, Link, SpanContext, TextMapGetter } from '@opentelemetry/api';
import type { Otel } from './api.js';

/** X-Ray's header, as SQS keeps it in the `AWSTraceHeader` system attribute. */
export const AWS_TRACE_HEADER = 'AWSTraceHeader';

const TRACE_PARENT = 'traceparent';

const getter: TextMapGetter<Readonly<Record<string, string>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/**
 * The producer's context from the message's string attributes (the SNS envelope's and the SQS
 * message's own, as MessageContext merges them), through the application's propagator.
 */
export function extractContext(api: Otel, attributes: Readonly<Record<string, string>>, base: Context): Context {
  return api.propagation.extract(base, attributes, getter);
}

/**
 * The fields the application's propagator writes for `context`, the W3C `traceparent` first: when
 * room is short the first ones are the ones to keep (`tracestate` and baggage are worth less).
 */
export function injectFields(api: Otel, context: Context): [string, string][] {
  const carrier: Record<string, string> = {};
  api.propagation.inject(context, carrier);
  return Object.entries(carrier).sort(([a], [b]) => Number(b === TRACE_PARENT) - Number(a === TRACE_PARENT));
}

/** An X-Ray trace header for a span context: `Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}`. */
export function xrayHeader(span: SpanContext): string {
  const { traceId, spanId, traceFlags } = span;
  return `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=${traceFlags & 1}`;
}

const ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;

/** A link to the span an X-Ray trace header names, or undefined when it names none. */
export function xrayLink(header: string | undefined): Link | undefined {
  if (typeof header !== 'string') return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const root = ROOT.exec(fields.get('Root') ?? '');
  const parent = fields.get('Parent') ?? '';
  if (root === null || !SPAN_ID.test(parent)) return undefined;
  const traceId = `${root[1]}${root[2]}`.toLowerCase();
  const context: SpanContext = { traceId, spanId: parent.toLowerCase(), traceFlags: fields.get('Sampled') === '1' ? 1 : 0, isRemote: true };
  return { context };
}
