import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Decoded } from '../codec/decoded.js';
import type { MessageContext } from '../dispatch/context.js';
import type { DispatchObserver } from '../dispatch/dispatcher.js';
import type { DispatchOutcome, SubscriberResult } from '../dispatch/outcome.js';
import { subscriberName } from '../dispatch/subscriber.js';
import type { DeadLetterQueue } from './dead-letter.js';
import type { ListenerErrorStage, ListenerEventEmitter } from './events.js';
import { HandlerTimeoutError, stillRunning, withinDeadline, type ProcessingPhase } from './handler-timeout.js';
import { describeError, type ListenerLogger } from '../aws/logger.js';
import { MessageAbort } from './message-abort.js';
import type { SharedDeadline } from './shared-deadline.js';
import { contextFor } from './message-context.js';
import { logOutcome } from './outcome-log.js';
import { prepareBody, receiveCountOf } from './large-payload.js';
import type { PayloadResolver } from '../large-payloads/resolve.js';
import type { DecodeOptions } from '../codec/body.js';
import { ConsumerTelemetry, NO_TRACE, type MessageTrace } from '../telemetry/message-trace.js';
import { IdempotencyGuard } from './idempotency-guard.js';
import type { ResolvedIdempotency } from '../idempotency/options.js';
import { DELETE, KEEP, toError, Verdicts, type Verdict } from './verdicts.js';

/** The part of the Dispatcher a consumer needs. */
export interface MessageDispatcher {
  dispatch(decoded: Decoded, context: MessageContext, observer?: DispatchObserver): DispatchOutcome | Promise<DispatchOutcome>;
  /** The subscribers a message matches (asked only when its processing times out, to name them). */
  match(decoded: Decoded): readonly object[];
}

/** The consumer options the per-message path reads (the listener's and the Lambda handler's alike). */
export interface ProcessorOptions {
  retryDelaySeconds: (receiveCount: number) => number;
  handlerTimeoutSeconds: number;
  logger: ListenerLogger;
  onBeforeProcess?: ((context: MessageContext) => void | Promise<void>) | undefined;
  onAfterProcess?: ((context: MessageContext, outcome: DispatchOutcome) => void | Promise<void>) | undefined;
  /** Resolves AWS Extended Client pointers (the `largePayloads` option). */
  largePayloads?: PayloadResolver | undefined;
  idempotency?: ResolvedIdempotency | undefined;
}

export interface ProcessorDeps {
  client: SQSClient;
  options: ProcessorOptions;
  dispatcher: MessageDispatcher;
  decode: (body: string, options?: DecodeOptions) => Decoded;
  deadLetter: DeadLetterQueue | undefined;
  events: ListenerEventEmitter;
  /** Where the messages come from: the queue URL, or an SNS topic's ARN (context, traces and metrics). */
  source?: string;
}

export interface Processed {
  verdict: Verdict;
  /** Set when the deadline passed: the abandoned work, still running, whose result is ignored. */
  timedOut?: Promise<unknown>;
  /** For the transport to call once it has deleted the message (deletes its large payload when asked to). */
  onDeleted?: () => Promise<void>;
  /** The idempotency store's completion, already sent: the transport awaits it beside its delete. Never rejects. */
  completing?: Promise<void>;
}

export interface ProcessOptions {
  /** Aborted by the transport (shutdown, the function's deadline); passed on as the context's signal. */
  signal: AbortSignal;
  /** Longest the processing may run, in ms (default: `handlerTimeoutSeconds`). */
  timeoutMs?: number;
  /** A deadline shared with other messages, `timeoutMs` from now: raced instead of a timer per message. */
  deadline?: SharedDeadline | undefined;
  /** Asked once the subscribers are done: true when the transport has given the message up meanwhile. */
  abandoned?: () => boolean;
}

/** How far a message's processing got, to say what was still running when its time was up. */
class Progress implements DispatchObserver {
  phase: ProcessingPhase = 'onBeforeProcess';
  /** Names of the subscribers that have finished (only an asynchronous dispatch reports them). */
  finished: string[] | undefined;

  constructor(readonly trace: MessageTrace) {}

  onResult(result: SubscriberResult): void {
    (this.finished ??= []).push(result.subscriber);
    this.trace.subscriber(result);
  }
}

/**
 * The one per-message path every consumer shares, the SQS listener and the Lambda handler alike:
 * decode, hooks and subscribers within the handler deadline, logs and events, the dead-letter copy of
 * what failed for good, and the retry delay. It never deletes: the transport settles the verdict.
 */
export class MessageProcessor {
  readonly #telemetry: ConsumerTelemetry;
  readonly #queueUrl: string | undefined;
  /** Claims each message's key before its subscribers run, when the `idempotency` option is set. */
  readonly #idempotency: IdempotencyGuard | undefined;
  readonly #verdicts: Verdicts;

  constructor(private readonly deps: ProcessorDeps) {
    this.#verdicts = new Verdicts({ ...deps, reportError: (error, stage, messageId, text) => this.reportError(error, stage, messageId, text) });
    this.#telemetry = new ConsumerTelemetry(deps.source);
    // A topic is no queue: the context of an SNS record has no queueUrl.
    this.#queueUrl = deps.source?.startsWith('arn:') === false ? deps.source : undefined;
    const { idempotency, logger } = deps.options;
    this.#idempotency = idempotency && new IdempotencyGuard(idempotency, logger, deps.events);
  }

  /**
   * Takes a message to its verdict. Never throws or rejects. The verdict comes at once, not as a
   * promise, when nothing in the way had to wait: no large payload, no idempotency store, no async
   * hook, and subscribers that returned synchronously (a transport may then settle it in the same turn).
   */
  process(message: Message, messageId: string, run: ProcessOptions): Processed | Promise<Processed> {
    // Asked first, so that an untraced message costs no closure.
    if (this.#telemetry.idle) return this.#process(message, messageId, run, NO_TRACE);
    return this.#telemetry.run(message, (trace) => this.#process(message, messageId, run, trace));
  }

  #process(message: Message, messageId: string, run: ProcessOptions, trace: MessageTrace): Processed | Promise<Processed> {
    const controller = new MessageAbort(run.signal);
    let processed: Processed | Promise<Processed>;
    try {
      // Without large payloads nothing is awaited before the subscribers, and no AbortSignal is made.
      const { largePayloads } = this.deps.options;
      processed = largePayloads === undefined ? this.#decoded(message, message, messageId, this.deps.decode, run, controller, trace, undefined) : this.#prepared(largePayloads, message, messageId, run, controller, trace);
    } catch (error) {
      processed = this.#bug(error, messageId);
    }
    if (processed instanceof Promise) return this.#disposeAfter(processed, controller, messageId);
    controller.dispose();
    return processed;
  }

  async #disposeAfter(processed: Promise<Processed>, controller: MessageAbort, messageId: string): Promise<Processed> {
    try {
      return await processed;
    } catch (error) {
      return this.#bug(error, messageId);
    } finally {
      controller.dispose();
    }
  }

  /** Nothing on the way rejects; reaching here is a bug of ours. Leave the message to be redelivered. */
  #bug(error: unknown, messageId: string): Processed {
    this.reportError(toError(error), 'process', messageId);
    return { verdict: KEEP };
  }

  /** Resolves an AWS Extended Client pointer first (the `largePayloads` option). */
  async #prepared(largePayloads: PayloadResolver, message: Message, messageId: string, run: ProcessOptions, controller: MessageAbort, trace: MessageTrace): Promise<Processed> {
    const prepared = await prepareBody(largePayloads, message, this.deps.decode, this.deps.options.logger, controller.signal);
    if (prepared.kind === 'retry') {
      this.reportError(prepared.error, 'process', messageId, 'the large payload could not be fetched; leaving the message for a retry');
      return { verdict: this.#verdicts.retry(messageId, receiveCountOf(message)) };
    }
    const onDeleted = 'onDeleted' in prepared ? prepared.onDeleted : undefined;
    return this.#decoded(message, prepared.message, messageId, prepared.decode, run, controller, trace, onDeleted);
  }

  /** `message` as received (what a dead-letter copy copies); `body`, the one whose body is decoded. */
  #decoded(
    message: Message,
    body: Message,
    messageId: string,
    decode: ProcessorDeps['decode'],
    run: ProcessOptions,
    controller: MessageAbort,
    trace: MessageTrace,
    onDeleted: (() => Promise<void>) | undefined,
  ): Processed | Promise<Processed> {
    const context = contextFor(body, messageId, decode, controller, this.#queueUrl);
    trace.begin(context);
    const { events } = this.deps;
    if (events.has('message_received')) events.emit('message_received', { messageId, receiveCount: context.receiveCount });
    if (!this.#idempotency) return this.processDecoded(message, context, run, controller, trace, onDeleted);
    const work = () => this.processDecoded(message, context, run, controller, trace, onDeleted);
    return this.#idempotency.run(context, work, () => this.#verdicts.retry(messageId, context.receiveCount));
  }

  /** Hooks and subscribers within the deadline, then the verdict (the idempotency guard wraps this). */
  private processDecoded(
    message: Message,
    context: MessageContext,
    run: ProcessOptions,
    controller: MessageAbort,
    trace: MessageTrace,
    onDeleted: (() => Promise<void>) | undefined,
  ): Processed | Promise<Processed> {
    const progress = new Progress(trace);
    const work = trace === NO_TRACE ? this.run(context, context.messageId, progress) : trace.within(() => this.run(context, context.messageId, progress));
    // Done already: a synchronous subscriber cannot be interrupted, so there is no deadline to race.
    if (!(work instanceof Promise)) return this.settle(message, context, run, trace, work, onDeleted);
    const timeoutMs = run.timeoutMs ?? this.deps.options.handlerTimeoutSeconds * 1000;
    return (run.deadline ? run.deadline.race(work) : withinDeadline(work, timeoutMs)).then((done) => {
      if (done !== undefined) return this.settle(message, context, run, trace, done, onDeleted);
      this.timedOut(context, progress, controller, timeoutMs / 1000);
      return { verdict: this.#verdicts.retry(context.messageId, context.receiveCount), timedOut: work };
    });
  }

  /** The subscribers are done in time: logs, events, the dead-letter copy when one is due, the verdict. */
  private settle(message: Message, context: MessageContext, run: ProcessOptions, trace: MessageTrace, outcome: DispatchOutcome, onDeleted: (() => Promise<void>) | undefined): Processed | Promise<Processed> {
    trace.outcome(outcome);
    if (run.abandoned?.()) return { verdict: KEEP };
    const durationMs = longest(outcome.results);
    const { messageId } = context;
    const { events } = this.deps;
    logOutcome(this.deps.options.logger, messageId, outcome, durationMs);
    if (events.has('message_processed')) events.emit('message_processed', { messageId, outcome, durationMs });
    // Only a dead-letter copy makes the verdict wait; everything else is decided at once.
    const verdict = this.#verdicts.of(message, context, outcome);
    return verdict instanceof Promise ? verdict.then((v) => withDeleted(v, onDeleted)) : withDeleted(verdict, onDeleted);
  }

  /**
   * Makes a message visible again after its retry delay (see Verdicts.setRetryDelay); true when SQS
   * took it.
   */
  retry(queueUrl: string, messageId: string, receiptHandle: string, verdict: Extract<Verdict, { action: 'retry' }>, receivedAt: number, timeoutMs?: number): Promise<boolean> {
    return this.#verdicts.setRetryDelay(queueUrl, messageId, receiptHandle, verdict, receivedAt, timeoutMs);
  }

  /** Hooks and subscribers, in order; never throws or rejects (each part catches its own errors). */
  private run(context: MessageContext, messageId: string, progress: Progress): DispatchOutcome | Promise<DispatchOutcome> {
    const { onBeforeProcess } = this.deps.options;
    if (onBeforeProcess) return this.hook(() => onBeforeProcess(context), messageId).then(() => this.subscribers(context, messageId, progress));
    return this.subscribers(context, messageId, progress);
  }

  private subscribers(context: MessageContext, messageId: string, progress: Progress): DispatchOutcome | Promise<DispatchOutcome> {
    progress.phase = 'subscribers';
    const outcome = this.deps.dispatcher.dispatch(context.decoded, context, progress);
    if (outcome instanceof Promise) return outcome.then((o) => this.afterSubscribers(context, messageId, progress, o));
    // An outcome given at once carries its results, which the observer did not hear.
    if (progress.trace !== NO_TRACE) for (const result of outcome.results) progress.trace.subscriber(result);
    return this.afterSubscribers(context, messageId, progress, outcome);
  }

  private afterSubscribers(context: MessageContext, messageId: string, progress: Progress, outcome: DispatchOutcome): DispatchOutcome | Promise<DispatchOutcome> {
    progress.phase = 'onAfterProcess';
    const { onAfterProcess } = this.deps.options;
    if (onAfterProcess) return this.hook(() => onAfterProcess(context, outcome), messageId).then(() => outcome);
    return outcome;
  }

  /** The deadline passed: abort the context's signal and say what was still running. */
  private timedOut(context: MessageContext, progress: Progress, controller: MessageAbort, timeoutSeconds: number): void {
    const { options, dispatcher } = this.deps;
    const { messageId } = context;
    const matched = progress.phase === 'subscribers' ? dispatcher.match(context.decoded).map(subscriberName) : [];
    const running = stillRunning(progress.phase, matched, progress.finished ?? []);
    const error = new HandlerTimeoutError(messageId, timeoutSeconds, running);
    controller.abort(error);
    options.logger.error('message processing timed out; leaving the message for a retry', {
      messageId,
      stillRunning: running,
      timeoutSeconds,
    });
    this.deps.events.emit('error', { error, stage: 'timeout', messageId });
  }

  private async hook(run: () => void | Promise<void> | undefined, messageId: string): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.reportError(toError(error), 'hook', messageId, 'a processing hook threw; carrying on');
    }
  }

  reportError(error: Error, stage: ListenerErrorStage, messageId: string, text = 'failed to handle a message'): void {
    this.deps.options.logger.error(text, { messageId, stage, error: describeError(error) });
    this.deps.events.emit('error', { error, stage, messageId });
  }
}

/**
 * How long the subscribers took: they start together, so the longest one's time. Read from their
 * results rather than from two more clock reads per message (a clock read costs about as much as
 * a subscriber call on some virtual machines).
 */
function longest(results: readonly SubscriberResult[]): number {
  let ms = 0;
  for (const r of results) if (r.durationMs > ms) ms = r.durationMs;
  return ms;
}

/** The common verdict, shared rather than wrapped anew for every message. */
const DELETED: Processed = Object.freeze({ verdict: DELETE });

function withDeleted(verdict: Verdict, onDeleted: (() => Promise<void>) | undefined): Processed {
  if (onDeleted && verdict.action === 'delete') return { verdict, onDeleted };
  return verdict === DELETE ? DELETED : { verdict };
}
