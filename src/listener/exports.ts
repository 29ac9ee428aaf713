// Public names of the SQS listener.
export { SqsListener, ListenerStateError, ListenerShutdownError } from './listener.js';
export { ListenerOptionsError } from './listener-options.js';
export type { QueueOptions, QueuePolling, SqsListenerOptions } from './listener-options.js';
