// Public names of the dispatch layer (no transport here).
export { ProcessStatus } from './status.js';
export type { MessageContext } from './context.js';
export type { SubscriberResult, Decision, DispatchOutcome } from './outcome.js';
export { MessageSubscriber } from './subscriber.js';
export type { Payload, ProcessResult, SubscriberClass } from './subscriber.js';
export { EventSubscriber } from './event-subscriber.js';
export type { EventPatterns, EventPayload, MegaPayloadWith } from './event-subscriber.js';
export { DataSubscriber, PlaintextSubscriber, BinarySubscriber } from './data-subscribers.js';
export type { DataPatterns, DataPayload, RawPatterns } from './data-subscribers.js';
export {
  RetriableError,
  SubscriberRegistrationError,
  PayloadSchemaError,
  InvalidStatusError,
  MatchError,
  NonErrorThrownError,
} from './errors.js';
export { Dispatcher } from './dispatcher.js';
export type { DispatcherOptions, DispatchObserver, ErrorClass } from './dispatcher.js';
export { decide } from './decision.js';
export { explain } from './explain.js';
export type { Explanation, FieldExplanation } from './explain.js';
export { TestClient } from './test-client.js';
export type { TestOutcome, TestContext } from './test-client.js';
