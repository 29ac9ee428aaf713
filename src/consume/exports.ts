// Public names of the per-message path every consumer shares (the listener and the Lambda handler).
export { HandlerTimeoutError } from './handler-timeout.js';
export type { ConsumerOptions, RetriableErrorClass } from './consumer-options.js';
export type { FromQueue, ListenerEvents, ListenerEventName, ListenerEventHandler, ListenerErrorStage } from './events.js';
export { DEAD_LETTER_ATTRIBUTES } from './dead-letter.js';
