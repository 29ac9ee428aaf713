import { ListenerEventEmitter, type ListenerEventName, type ListenerEvents } from '../consume/events.js';
import type { ListenerLogger } from '../aws/logger.js';

/** A logger that adds `queueUrl` to every line, for a listener over several queues. */
export function queueLogger(logger: ListenerLogger, queueUrl: string): ListenerLogger {
  const tag =
    (method: keyof ListenerLogger) =>
    (msg?: unknown, fields?: unknown, ...rest: unknown[]): void => {
      if (rest.length === 0 && (fields === undefined || (typeof fields === 'object' && fields !== null))) {
        logger[method](msg, { queueUrl, ...(fields as object | undefined) });
      } else {
        logger[method](msg, fields, ...rest);
      }
    };
  return { debug: tag('debug'), info: tag('info'), warn: tag('warn'), error: tag('error') };
}

/**
 * The listener's emitter seen from one queue: every event it emits reaches the listener's handlers
 * with that queue's `queueUrl` added.
 */
export function queueEvents(shared: ListenerEventEmitter, queueUrl: string): ListenerEventEmitter {
  return new (class extends ListenerEventEmitter {
    override has(event: ListenerEventName): boolean {
      return shared.has(event);
    }

    override emit<E extends ListenerEventName>(event: E, payload: ListenerEvents[E]): void {
      shared.emit(event, { ...payload, queueUrl });
    }
  })(() => {});
}
