import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import type { Message } from '@aws-sdk/client-sqs';
import type { MessageContext } from '../dispatch/context.js';
import type { DispatchOutcome, SubscriberResult } from '../dispatch/outcome.js';
import { ProcessStatus } from '../dispatch/status.js';
import { loadOtel, otel, sdkRegistered, type Otel } from './api.js';
import { AWS_TRACE_HEADER, extractContext, xrayLink } from './carrier.js';
import { ATTR, destinationAttributes, INSTRUMENTATION_NAME, OPERATION, spanName } from './conventions.js';
import { instruments, type Instruments } from './metrics.js';

/** One message's trace and metrics, from receive to verdict. Every method is cheap and never throws. */
export interface MessageTrace {
  /** The message is decoded: start the CONSUMER span, parented by the producer's context. */
  begin(context: MessageContext): void;
  /** Runs the hooks and subscribers with the span active, so their own spans join the trace. */
  within<T>(work: () => T | Promise<T>): T | Promise<T>;
  /** A subscriber finished: its child span and duration. */
  subscriber(result: SubscriberResult): void;
  outcome(outcome: DispatchOutcome): void;
  /** The verdict is in; `timedOut` when the deadline passed first. */
  end(verdict: { action: 'delete' | 'retry' | 'keep' }, timedOut: boolean): void;
}

/** The trace of every message when nothing traces: each method does nothing. */
export const NO_TRACE: MessageTrace = { begin() {}, within: (work) => work(), subscriber() {}, outcome() {}, end() {} };

// performance.timeOrigin is a costly getter on Node 20: read it once.
const ORIGIN = performance.timeOrigin;
const now = () => ORIGIN + performance.now();
const FAILED = new Set<string>([ProcessStatus.FATAL_ERROR, ProcessStatus.RETRIABLE_ERROR]);

/**
 * Traces the messages of one queue (or topic, for SNS events). With no `@opentelemetry/api`
 * installed every message gets the shared no-op; with no SDK registered the API's own no-ops run.
 */
export class ConsumerTelemetry {
  readonly #base: Record<string, string>;
  readonly #name: string;

  constructor(queue: string | undefined) {
    this.#base = destinationAttributes(queue ?? '');
    this.#name = spanName(OPERATION.process, this.#base[ATTR.destination] ?? '');
    void loadOtel();
  }

  /**
   * Runs one message's processing (`work`, which never rejects) under its trace, and ends the trace
   * with the verdict. With no API or no SDK registered, `work` gets the shared no-op and its own
   * result is returned as it is (a promise, or the result itself when it came at once): no async step
   * is added to every message.
   */
  run<P extends { verdict: { action: 'delete' | 'retry' | 'keep' }; timedOut?: unknown }>(message: Message, work: (trace: MessageTrace) => P | Promise<P>): P | Promise<P> {
    if (this.idle) return work(NO_TRACE);
    return this.#traced(message, work);
  }

  /** True when nothing traces: no API installed, or no SDK registered (then NO_TRACE will do). */
  get idle(): boolean {
    const api = otel();
    return api === null || (api !== undefined && !sdkRegistered());
  }

  async #traced<P extends { verdict: { action: 'delete' | 'retry' | 'keep' }; timedOut?: unknown }>(message: Message, work: (trace: MessageTrace) => P | Promise<P>): Promise<P> {
    // The API is looked up once per process: only the first messages wait for it.
    const api = otel() ?? (await loadOtel());
    const trace = api === null || !sdkRegistered() ? NO_TRACE : new ActiveTrace(api, this.#base, this.#name, message);
    const processed = await work(trace);
    trace.end(processed.verdict, processed.timedOut !== undefined);
    return processed;
  }
}

class ActiveTrace implements MessageTrace {
  readonly #started = now();
  readonly #metrics: Instruments;
  #span: Span | undefined;
  #context: Context | undefined;
  #outcome: DispatchOutcome | undefined;
  #error: string | undefined;

  constructor(
    private readonly api: Otel,
    private readonly base: Record<string, string>,
    private readonly name: string,
    private readonly message: Message,
  ) {
    this.#metrics = instruments(api);
  }

  begin(context: MessageContext): void {
    const { api, base } = this;
    const active = api.context.active();
    const parent = extractContext(api, context.messageAttributes, active);
    const links: Link[] = [];
    const xray = xrayLink(this.message.Attributes?.[AWS_TRACE_HEADER]);
    if (xray !== undefined) links.push(xray);
    // Parented by the producer (single-message processing); what was active then is linked, not lost.
    const ambient = api.trace.getSpanContext(active);
    if (ambient !== undefined && api.trace.getSpanContext(parent) !== ambient) links.push({ context: ambient });
    const { decoded } = context;
    const attributes: Attributes = {
      ...base,
      [ATTR.operationType]: OPERATION.process,
      [ATTR.operationName]: OPERATION.process,
      [ATTR.messageId]: context.messageId,
      [ATTR.receiveCount]: context.receiveCount,
      [ATTR.kind]: decoded.kind,
    };
    if (decoded.envelope !== undefined) {
      attributes[ATTR.topicArn] = decoded.envelope.topicArn;
      attributes[ATTR.snsMessageId] = decoded.envelope.messageId;
    }
    this.#span = api.trace.getTracer(INSTRUMENTATION_NAME).startSpan(this.name, { kind: api.SpanKind.CONSUMER, startTime: this.#started, attributes, links }, parent);
    this.#context = api.trace.setSpan(parent, this.#span);
    this.#metrics.inFlight.add(1, base);
    if (context.sentAt !== undefined) this.#metrics.queueTime.record(Math.max(0, this.#started - context.sentAt.getTime()) / 1000, base);
  }

  within<T>(work: () => T | Promise<T>): T | Promise<T> {
    return this.#context === undefined ? work() : this.api.context.with(this.#context, work);
  }

  subscriber(result: SubscriberResult): void {
    const { api } = this;
    const failed = FAILED.has(result.status);
    if (failed) this.#error ??= result.error?.name ?? result.status;
    this.#metrics.subscriberDuration.record(result.durationMs / 1000, { ...this.base, [ATTR.subscriber]: result.subscriber, [ATTR.status]: result.status });
    if (this.#context === undefined || this.#span?.isRecording() !== true) return;
    const end = now();
    const span = api.trace.getTracer(INSTRUMENTATION_NAME).startSpan(
      result.subscriber,
      { startTime: end - result.durationMs, attributes: { [ATTR.subscriber]: result.subscriber, [ATTR.status]: result.status } },
      this.#context,
    );
    if (result.error !== undefined) span.recordException(result.error);
    if (failed) span.setStatus({ code: api.SpanStatusCode.ERROR, message: result.error?.message ?? result.status });
    span.end(end);
  }

  outcome(outcome: DispatchOutcome): void {
    this.#outcome = outcome;
    if (outcome.decoded.kind === 'invalid') this.#error ??= outcome.decoded.error.name;
  }

  end(verdict: { action: 'delete' | 'retry' | 'keep' }, timedOut: boolean): void {
    const { api, base } = this;
    const decision = timedOut ? 'timeout' : (this.#outcome?.decision.reason ?? 'error');
    if (timedOut) this.#error = 'HandlerTimeoutError';
    else if (this.#outcome === undefined) this.#error ??= '_OTHER';
    const error = this.#error;
    const span = this.#span;
    if (span !== undefined) {
      this.#metrics.inFlight.add(-1, base);
      if (span.isRecording()) {
        span.setAttribute(ATTR.decision, decision);
        span.setAttribute(ATTR.verdict, verdict.action);
        if (error !== undefined) {
          span.setAttribute(ATTR.errorType, error);
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: `${decision}: ${error}` });
        }
      }
      span.end();
    }
    const counted = { ...base, [ATTR.decision]: decision, [ATTR.verdict]: verdict.action };
    this.#metrics.messages.add(1, counted);
    this.#metrics.processDuration.record((now() - this.#started) / 1000, error === undefined ? { ...base, [ATTR.operationName]: OPERATION.process } : { ...base, [ATTR.operationName]: OPERATION.process, [ATTR.errorType]: error });
    if (verdict.action === 'retry') this.#metrics.retries.add(1, counted);
    if (verdict.action === 'delete' && this.#outcome?.decision.deadLetter === true) this.#metrics.deadLetters.add(1, counted);
  }
}
