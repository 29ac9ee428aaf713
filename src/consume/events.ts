import type { DispatchOutcome } from '../dispatch/outcome.js';

/** Where in the listener an error happened. */
export type ListenerErrorStage = 'receive' | 'delete' | 'visibility' | 'dead-letter' | 'hook' | 'process' | 'timeout' | 'idempotency';

/** Set on every event of a listener over several queues: the queue the event is about. */
export interface FromQueue {
  queueUrl?: string;
}

/** Every event the listener emits, with its payload. */
export interface ListenerEvents {
  started: { queueUrl: string };
  stopped: { queueUrl: string; unfinished: number };
  message_received: { messageId: string; receiveCount: number } & FromQueue;
  /** `durationMs`: how long the subscribers took (the longest of them; they run concurrently). */
  message_processed: { messageId: string; outcome: DispatchOutcome; durationMs: number } & FromQueue;
  message_deleted: { messageId: string } & FromQueue;
  message_retried: { messageId: string; receiveCount: number; delaySeconds: number } & FromQueue;
  message_dead_lettered: { messageId: string; deadLetterMessageId: string | undefined; reason: string } & FromQueue;
  message_released: { messageId: string } & FromQueue;
  /** A message skipped by the idempotency guard: its key was `completed` (deleted) or `in_progress` elsewhere (retried later). */
  message_duplicate: { messageId: string; key: string; state: 'completed' | 'in_progress' } & FromQueue;
  error: { error: Error; stage: ListenerErrorStage; messageId?: string } & FromQueue;
}

export type ListenerEventName = keyof ListenerEvents;
export type ListenerEventHandler<E extends ListenerEventName> = (event: ListenerEvents[E]) => void;

/**
 * A small typed event emitter. Unlike Node's EventEmitter, an `error` event with no handler is not
 * thrown (the listener logs it anyway), and a handler that throws is reported, never breaks the loop.
 */
export class ListenerEventEmitter {
  private readonly handlers = new Map<ListenerEventName, ((event: never) => void)[]>();

  constructor(private readonly onHandlerError: (error: unknown, event: ListenerEventName) => void) {}

  on<E extends ListenerEventName>(event: E, handler: ListenerEventHandler<E>): this {
    const list = this.handlers.get(event) ?? [];
    this.handlers.set(event, [...list, handler as (event: never) => void]);
    return this;
  }

  once<E extends ListenerEventName>(event: E, handler: ListenerEventHandler<E>): this {
    const wrapper: ListenerEventHandler<E> = (payload) => {
      this.off(event, wrapper);
      handler(payload);
    };
    return this.on(event, wrapper);
  }

  off<E extends ListenerEventName>(event: E, handler: ListenerEventHandler<E>): this {
    const list = this.handlers.get(event);
    if (list) {
      const index = list.indexOf(handler as (event: never) => void);
      if (index >= 0) this.handlers.set(event, [...list.slice(0, index), ...list.slice(index + 1)]);
    }
    return this;
  }

  /** Whether anyone listens, so hot paths can skip building payloads nobody reads. */
  has(event: ListenerEventName): boolean {
    return (this.handlers.get(event)?.length ?? 0) > 0;
  }

  emit<E extends ListenerEventName>(event: E, payload: ListenerEvents[E]): void {
    const list = this.handlers.get(event);
    if (!list) return;
    // The list is replaced, never mutated, so handlers added or removed here do not disturb this loop.
    for (const handler of list) {
      try {
        (handler as ListenerEventHandler<E>)(payload);
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }
}
